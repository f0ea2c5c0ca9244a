"""The qualifications page: who holds one that runs out soon, and the organisation's types."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from schemas.people import QualificationTypeCreate
from services.pages.session import Board, BoardPages
from services.problems import ProblemError
from services.qualifications import service as qualifications


async def _qualifications_page(board: Board, days: int, type_error=None, status=200) -> Template:
    """Who holds a qualification that runs out soon, and the organisation's qualification types."""
    days = days if days in qualifications.EXPIRING_WITHIN else 30
    return await board.page(
        "board/qualifications.html",
        status=status,
        expiring=await qualifications.expiring(board.conn, board.clock, board.access, days),
        days=days,
        day_choices=qualifications.EXPIRING_WITHIN,
        today=board.clock.now().date(),
        types=await qualifications.list_types(board.conn, board.access),
        type_error=type_error,
    )


class QualificationsController(BoardPages):
    path = "/board/qualifications"

    @get("/")
    async def expiring_qualifications(self, board: Board, days: FromQuery[int] = 30) -> Template:
        return await _qualifications_page(board, days)

    @post("/types")
    async def add_qualification_type(self, board: Board) -> Response:
        try:
            await qualifications.create_type(
                board.conn, board.access, await board.posted(QualificationTypeCreate)
            )
        except ProblemError as refused:
            shown = board.refused(refused)
            return await _qualifications_page(board, 30, shown.problem, status=shown.status)
        return Redirect("/board/qualifications", status_code=303)
