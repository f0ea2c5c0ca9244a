"""A coordinator's own sign-ins (each is a token: a link, a pasted key, an SMS code): where she is
signed in, and ending any of them; ending this browser's signs it out."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.response import Redirect, Template

from services.access import service as access
from services.http import ClockDep, Conn, PathId
from services.pagination import Cursor
from services.web.session import BoardAccess, BoardPages, board_page, require_form_token, signed_out


class SessionController(BoardPages):
    path = "/board/sessions"

    @get("/")
    async def sessions_page(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
    ) -> Template:
        now = clock.now()
        tokens = await access.list_tokens(conn, board_access, Cursor(0, 200), only_own=True)
        live = [
            t
            for t in tokens
            if t["revoked_at"] is None and (t["expires_at"] is None or t["expires_at"] > now)
        ]
        return await board_page(
            request, conn, board_access, "sessions.html", sessions=live, current=board_access.token_id
        )

    @post("/{token_id:int}/end")
    async def end_session(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, token_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        await access.revoke_token(conn, clock, board_access, token_id)
        if token_id == board_access.token_id:
            return signed_out(request)
        return Redirect("/board/sessions", status_code=303)
