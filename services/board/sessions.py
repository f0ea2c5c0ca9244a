"""A coordinator's own sign-ins (each a session on the server: from a link, a pasted key, an SMS
code): where she is signed in, and ending any of them; ending this browser's signs it out."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from services.access import sessions
from services.http import ClockDep, Conn, PathId
from services.pages.session import (
    BOARD_KIT,
    BoardAccess,
    BoardPages,
    board_page,
    require_form_token,
    signed_out,
)


class SessionController(BoardPages):
    path = "/board/sessions"

    @get("/")
    async def sessions_page(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
    ) -> Template:
        live = await sessions.list_own(conn, clock, "board", board_access, BOARD_KIT.secret(request))
        return await board_page(request, conn, board_access, "board/sessions.html", sessions=live)

    @post("/{session_id:int}/end")
    async def end_session(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, session_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        mine = await sessions.list_own(conn, clock, "board", board_access, BOARD_KIT.secret(request))
        if any(s.id == session_id and s.current for s in mine):
            return await signed_out(request, conn, clock)
        await sessions.end_own(conn, clock, board_access, session_id)
        return Redirect("/board/sessions", status_code=303)
