"""Partner organisations on the board: ask another organisation (by its short name) to share
activities, accept an ask, or end a partnership (its members then come off coming dates, each
told by SMS). The same rules as the API (services/partnerships)."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from schemas.organisations import PartnershipAsk
from services.http import ClockDep, Conn, PathId
from services.pages import render as pages
from services.pages.session import BoardAccess, BoardPages, board_page, posted, require_form_token
from services.partnerships import service as partnerships
from services.problems import ProblemError


class PartnersController(BoardPages):
    path = "/board/partners"

    async def _page(self, request, conn, access, *, problem: str = "", status: int = 200) -> Template:
        found = await partnerships.list_partnerships(conn, access)
        return await board_page(
            request, conn, access, "board/partners.html", partnerships=found, problem=problem, status=status
        )

    @get("/")
    async def partners_page(self, request: Request, conn: Conn, board_access: BoardAccess) -> Template:
        return await self._page(request, conn, board_access)

    @post("/")
    async def ask(self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess) -> Response:
        try:
            form = await posted(request, conn, PartnershipAsk)
            await partnerships.ask(conn, clock, board_access, form.partner.strip())
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused)
            return await self._page(request, conn, board_access, problem=shown.problem, status=shown.status)
        return Redirect("/board/partners", status_code=303)

    @post("/{partnership_id:int}/accept")
    async def accept(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, partnership_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        await partnerships.accept(conn, clock, board_access, partnership_id)
        return Redirect("/board/partners", status_code=303)

    @post("/{partnership_id:int}/end")
    async def end(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, partnership_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        await partnerships.end(conn, clock, board_access, partnership_id)
        return Redirect("/board/partners", status_code=303)
