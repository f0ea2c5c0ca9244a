"""The month's report for funders: attended hours by kind of activity (with a bar chart drawn on
the server as SVG), by activity and by volunteer, and the same CSV as the API. A coordinator can
share it read-only by a signed, expiring link (/r/…), without names unless she ticks them; the
links that still work are listed, each can be switched off, and all die with their sharer's
coordinator role."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.forms import ReportLinkForm
from services.assignments import attendance
from services.hours import service as hours
from services.http import PathId
from services.occurrences import service as occurrences
from services.organisations import service as organisations
from services.pages import render as pages
from services.pages.kit import Link, LinkPages
from services.pages.session import Board, BoardPages

BAR_WIDTH = 240  # px of the longest bar


async def _report(conn, access, month: str, *, names: bool) -> dict:
    """What a report page shows of a month (names of volunteers only where asked for)."""
    found = await hours.report(conn, access, month)
    by_activity, by_volunteer = await hours.breakdown(conn, access, month)
    first, following = hours.month_bounds(month)
    longest = max((r.hours for r in found.rows), default=0) or 1
    return {
        "report": found,
        "bars": [(r, round(r.hours / longest * BAR_WIDTH)) for r in found.rows],
        "by_activity": by_activity,
        "by_volunteer": by_volunteer if names else None,
        "month": month,
        "first_day": first,
        "previous": f"{first - timedelta(days=1):%Y-%m}",
        "following": f"{following:%Y-%m}",
    }


async def _unmarked(conn, clock, access, time_zone: str, month: str) -> list:
    """The month's shifts that have begun and whose attendance nobody marked: the hours leave them
    out until someone does."""
    first, following = hours.month_bounds(month)
    zone = ZoneInfo(time_zone)
    return await attendance.unmarked(
        conn,
        clock,
        access,
        datetime.combine(first, time(0), zone),
        datetime.combine(following, time(0), zone),
    )


class ReportController(BoardPages):
    path = "/board/reports"

    @get("/")
    async def report_page(self, board: Board, month: FromQuery[str | None] = None) -> Template:
        organisation = await organisations.get(board.conn, board.access, board.access.organisation_id)
        month = hours.month_asked(month, occurrences.today(board.clock, organisation.time_zone))
        return await board.page(
            "board/reports.html",
            organisation=organisation,
            link_days=hours.LINK_DAYS,
            shared=None,
            links=await hours.report_links(board.conn, board.clock, board.access),
            unmarked=await _unmarked(board.conn, board.clock, board.access, organisation.time_zone, month),
            **await _report(board.conn, board.access, month, names=True),
        )

    @post("/link")
    async def share_report(self, board: Board) -> Template:
        """The link is shown this once, not kept (no redirect: no copy in the history)."""
        form = await board.posted(ReportLinkForm)
        link = await hours.report_link(
            board.conn, board.clock, board.access, form.month, form.names, form.days, board.public_base
        )
        return await board.page(
            "board/reports.html",
            link_days=hours.LINK_DAYS,
            shared={"url": link, "days": form.days, "names": form.names},
            links=await hours.report_links(board.conn, board.clock, board.access),
            unmarked=[],
            **await _report(board.conn, board.access, form.month, names=True),
        )

    @post("/links/{link_id:int}/off")
    async def switch_off_link(self, board: Board, link_id: PathId) -> Response:
        """The funder's link stops working at once."""
        await board.form()
        await hours.switch_off_report_link(board.conn, board.clock, board.access, link_id)
        return Redirect("/board/reports#links", status_code=303)

    @get("/hours.csv", media_type="text/csv")
    async def report_csv(self, board: Board, month: FromQuery[str]) -> Response:
        """The month's figures in the language she reads the report in."""
        found = await hours.report(board.conn, board.access, month)
        return Response(
            hours.as_csv(found, pages.language_of(board.request, board.access.language)),
            media_type="text/csv",
            headers=pages.HEADERS | {"Content-Disposition": f'attachment; filename="hours-{month}.csv"'},
        )


class FunderReportController(LinkPages):
    """The report as a funder or municipality opens it from a shared link: read-only, no sign-in."""

    path = "/r/{token:str}"

    @get("/")
    async def funder_report(self, link: Link) -> Template:
        access, month, names = await hours.opened_report_link(link.conn, link.clock, link.token)
        organisation = await organisations.get(link.conn, access, access.organisation_id)
        return link.page(
            "board/funder_report.html",
            language=organisation.default_language,
            organisation=organisation,
            **await _report(link.conn, access, month, names=names),
        )
