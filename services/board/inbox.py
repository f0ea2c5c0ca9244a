"""The inbox: what volunteers texted that the service could not act on as an answer, each with who
sent it, when, and her next shift; her whole conversation with an answer by SMS; and "done" once
a coordinator has dealt with it. The menu counts what waits."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from schemas.forms import InboxAnswerForm
from services.http import PathId
from services.inbox import waiting
from services.pages.session import Board, BoardPages
from services.problems import ProblemError


class InboxController(BoardPages):
    path = "/board/inbox"

    @get("/")
    async def inbox(self, board: Board, done: FromQuery[int] = 0) -> Template:
        found = await waiting.waiting(board.conn, board.clock, board.access)
        return await board.page("board/inbox.html", texts=found, done=done)

    @get("/{text_id:int}")
    async def conversation(self, board: Board, text_id: PathId, sent: FromQuery[bool] = False) -> Template:
        return await self._page(board, text_id, sent=sent)

    async def _page(self, board: Board, text_id: int, *, status=200, **context) -> Template:
        talk = await waiting.conversation(board.conn, board.clock, board.access, text_id)
        context = {"problem": "", "sent": False, "words": ""} | context
        return await board.page(
            "board/conversation.html", status=status, talk=talk, text_id=text_id, **context
        )

    @post("/{text_id:int}/answer")
    async def answer(self, board: Board, text_id: PathId) -> Response:
        try:
            form = await board.posted(InboxAnswerForm)
            await waiting.answer(board.conn, board.clock, board.access, text_id, form.words)
        except ProblemError as refused:
            shown = board.refused(refused)
            typed = (await board.request.form()).get("words", "")
            return await self._page(board, text_id, status=shown.status, problem=shown.problem, words=typed)
        return Redirect(f"/board/inbox/{text_id}?sent=1#answer", status_code=303)

    @post("/{text_id:int}/done")
    async def done(self, board: Board, text_id: PathId) -> Response:
        await board.form()
        dealt = await waiting.mark_done(board.conn, board.clock, board.access, text_id)
        return Redirect(f"/board/inbox?done={dealt}", status_code=303)
