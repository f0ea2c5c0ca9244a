"""The qualifications page: who holds one that runs out soon, and the organisation's types."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from schemas.people import QualificationTypeCreate
from services.http import ClockDep, Conn
from services.pages import render as pages
from services.pages.session import BoardAccess, BoardPages, board_page, posted
from services.problems import ProblemError
from services.qualifications import service as qualifications


async def _qualifications_page(
    request, conn, clock, access, days: int, type_error=None, status=200
) -> Template:
    """Who holds a qualification that runs out soon, and the organisation's qualification types."""
    days = days if days in qualifications.EXPIRING_WITHIN else 30
    return await board_page(
        request,
        conn,
        access,
        "board/qualifications.html",
        status=status,
        expiring=await qualifications.expiring(conn, clock, access, days),
        days=days,
        day_choices=qualifications.EXPIRING_WITHIN,
        today=clock.now().date(),
        types=await qualifications.list_types(conn, access),
        type_error=type_error,
    )


class QualificationsController(BoardPages):
    path = "/board/qualifications"

    @get("/")
    async def expiring_qualifications(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        days: FromQuery[int] = 30,
    ) -> Template:
        return await _qualifications_page(request, conn, clock, board_access, days)

    @post("/types")
    async def add_qualification_type(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
    ) -> Response:
        try:
            await qualifications.create_type(
                conn, board_access, await posted(request, conn, QualificationTypeCreate)
            )
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused)
            return await _qualifications_page(
                request, conn, clock, board_access, 30, shown.problem, status=shown.status
            )
        return Redirect("/board/qualifications", status_code=303)
