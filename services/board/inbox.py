"""The inbox: what volunteers texted that the service could not act on as an answer, each with who
sent it, when, and her next shift; her whole conversation with an answer by SMS; and "done" once
a coordinator has dealt with it. The menu counts what waits."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from schemas.forms import InboxAnswerForm
from services.http import ClockDep, Conn, PathId
from services.inbox import waiting
from services.pages import render as pages
from services.pages.session import BoardAccess, BoardPages, board_page, posted, require_form_token
from services.problems import ProblemError


class InboxController(BoardPages):
    path = "/board/inbox"

    @get("/")
    async def inbox(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        done: FromQuery[int] = 0,
    ) -> Template:
        found = await waiting.waiting(conn, clock, board_access)
        return await board_page(request, conn, board_access, "board/inbox.html", texts=found, done=done)

    @get("/{text_id:int}")
    async def conversation(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        text_id: PathId,
        sent: FromQuery[bool] = False,
    ) -> Template:
        return await self._page(request, conn, clock, board_access, text_id, sent=sent)

    async def _page(self, request, conn, clock, access, text_id: int, *, status=200, **context) -> Template:
        talk = await waiting.conversation(conn, clock, access, text_id)
        context = {"problem": "", "sent": False, "words": ""} | context
        return await board_page(
            request,
            conn,
            access,
            "board/conversation.html",
            status=status,
            talk=talk,
            text_id=text_id,
            **context,
        )

    @post("/{text_id:int}/answer")
    async def answer(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, text_id: PathId
    ) -> Response:
        try:
            form = await posted(request, conn, InboxAnswerForm)
            await waiting.answer(conn, clock, board_access, text_id, form.words)
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused)
            typed = (await request.form()).get("words", "")
            return await self._page(
                request,
                conn,
                clock,
                board_access,
                text_id,
                status=shown.status,
                problem=shown.problem,
                words=typed,
            )
        return Redirect(f"/board/inbox/{text_id}?sent=1#answer", status_code=303)

    @post("/{text_id:int}/done")
    async def done(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, text_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        dealt = await waiting.mark_done(conn, clock, board_access, text_id)
        return Redirect(f"/board/inbox?done={dealt}", status_code=303)
