"""A coordinator's own sign-ins (each a session on the server: from a link, a pasted key, an SMS
code): where she is signed in, and ending any of them; ending this browser's signs it out."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.response import Redirect, Template

from services.access import sessions
from services.http import PathId
from services.pages.session import BOARD_KIT, Board, BoardPages, signed_out


class SessionController(BoardPages):
    path = "/board/sessions"

    @get("/")
    async def sessions_page(self, board: Board) -> Template:
        live = await sessions.list_own(
            board.conn, board.clock, "board", board.access, BOARD_KIT.secret(board.request)
        )
        return await board.page("board/sessions.html", sessions=live)

    @post("/{session_id:int}/end")
    async def end_session(self, board: Board, session_id: PathId) -> Response:
        await board.form()
        mine = await sessions.list_own(
            board.conn, board.clock, "board", board.access, BOARD_KIT.secret(board.request)
        )
        if any(s.id == session_id and s.current for s in mine):
            return await signed_out(board.request, board.conn, board.clock)
        await sessions.end_own(board.conn, board.clock, board.access, session_id)
        return Redirect("/board/sessions", status_code=303)
