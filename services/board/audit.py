"""The audit trail on the board: who changed what, through what and when, newest first; filtered
by what was changed (a person, an activity…) and paged. The same service as the API's."""

from __future__ import annotations

from litestar import get
from litestar.params import FromQuery
from litestar.response import Template

from services.audit import trail
from services.audit import words as audit_words
from services.pages.session import Board, BoardPages
from services.pagination import Cursor

PAGE_SIZE = 50


class AuditController(BoardPages):
    path = "/board/audit"

    @get("/")
    async def audit_trail(
        self, board: Board, table: FromQuery[str | None] = None, cursor: FromQuery[str | None] = None
    ) -> Template:
        tables = await trail.audited_tables(board.conn)
        chosen = table if table in tables else None
        found = await trail.trail(
            board.conn, board.access, Cursor.parse(cursor, PAGE_SIZE), table_name=chosen
        )
        return await board.page(
            "board/audit.html",
            entries=found.items,
            next_cursor=found.next_cursor,
            tables=tables,
            table=chosen,
            words=audit_words,
        )
