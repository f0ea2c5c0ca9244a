"""The month's report for funders: attended hours by kind of activity (with a bar chart drawn on
the server as SVG), by activity and by volunteer, and the same CSV as the API."""

from __future__ import annotations

from datetime import timedelta

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template

from services.hours import service as hours
from services.http import ClockDep, Conn
from services.occurrences import service as occurrences
from services.organisations import service as organisations
from services.web import pages
from services.web.session import BoardAccess, BoardPages, board_page

BAR_WIDTH = 240  # px of the longest bar


class ReportController(BoardPages):
    path = "/board/reports"

    @get("/")
    async def report_page(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        month: FromQuery[str | None] = None,
    ) -> Template:
        organisation = await organisations.get(conn, board_access, board_access.organisation_id)
        month = hours.month_asked(month, occurrences.today(clock, organisation.time_zone))
        found = await hours.report(conn, board_access, month)
        by_activity, by_volunteer = await hours.breakdown(conn, board_access, month)
        first, _next = hours.month_bounds(month)
        longest = max((r.hours for r in found.rows), default=0) or 1
        return await board_page(
            request,
            conn,
            board_access,
            "reports.html",
            organisation=organisation,
            report=found,
            bars=[(r, round(r.hours / longest * BAR_WIDTH)) for r in found.rows],
            by_activity=by_activity,
            by_volunteer=by_volunteer,
            month=month,
            first_day=first,
            previous=f"{first - timedelta(days=1):%Y-%m}",
            following=f"{_next:%Y-%m}",
        )

    @get("/hours.csv", media_type="text/csv")
    async def report_csv(self, conn: Conn, board_access: BoardAccess, month: FromQuery[str]) -> Response:
        found = await hours.report(conn, board_access, month)
        return Response(
            hours.as_csv(found),
            media_type="text/csv",
            headers=pages.HEADERS | {"Content-Disposition": f'attachment; filename="hours-{month}.csv"'},
        )
