"""Partner organisations on the board: ask another organisation (by its short name) to share
activities, accept an ask, or end a partnership (its members then come off coming dates, each
told by SMS). The same rules as the API (services/partnerships)."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.response import Redirect, Template

from schemas.organisations import PartnershipAsk
from services.http import PathId
from services.pages.session import Board, BoardPages
from services.partnerships import service as partnerships
from services.problems import ProblemError


class PartnersController(BoardPages):
    path = "/board/partners"

    async def _page(self, board: Board, *, problem: str = "", status: int = 200) -> Template:
        found = await partnerships.list_partnerships(board.conn, board.access)
        return await board.page("board/partners.html", partnerships=found, problem=problem, status=status)

    @get("/")
    async def partners_page(self, board: Board) -> Template:
        return await self._page(board)

    @post("/")
    async def ask(self, board: Board) -> Response:
        try:
            form = await board.posted(PartnershipAsk)
            await partnerships.ask(board.conn, board.clock, board.access, form.partner.strip())
        except ProblemError as refused:
            shown = board.refused(refused)
            return await self._page(board, problem=shown.problem, status=shown.status)
        return Redirect("/board/partners", status_code=303)

    @post("/{partnership_id:int}/accept")
    async def accept(self, board: Board, partnership_id: PathId) -> Response:
        await board.form()
        await partnerships.accept(board.conn, board.clock, board.access, partnership_id)
        return Redirect("/board/partners", status_code=303)

    @post("/{partnership_id:int}/end")
    async def end(self, board: Board, partnership_id: PathId) -> Response:
        await board.form()
        await partnerships.end(board.conn, board.clock, board.access, partnership_id)
        return Redirect("/board/partners", status_code=303)
