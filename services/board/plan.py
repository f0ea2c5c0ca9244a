"""The plan: every occurrence of a week with its roles and who is on each, and the month as one
list. One date's own page is occurrence.py."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from litestar import get
from litestar.params import FromQuery
from litestar.response import Template

from schemas.scheduling import ActivityKind
from services.assignments import attendance
from services.clock import YEARS_WORDS, sane_year
from services.hours import service as hours
from services.occurrences import service as occurrences
from services.occurrences import staffing
from services.organisations import service as organisations
from services.pages.session import Board, BoardPages
from services.problems import Unprocessable
from services.rota import service as rota

KINDS = ActivityKind.__args__


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_asked(week: str | None, today: date) -> date:
    if not week:
        return _monday(today)
    try:
        day = date.fromisoformat(week)
    except ValueError:
        raise Unprocessable("week must be a date (YYYY-MM-DD).", code="bad-form") from None
    if not sane_year(day.year):
        raise Unprocessable(f"week: {YEARS_WORDS}.", code="year-out-of-range")
    return _monday(day)


async def _names(conn, access, found) -> dict[int, str]:
    person_ids = {p for o in found for r in o.roles for p in r.people}
    return (await rota.labels(conn, access, set(), set(), person_ids))["people"]


async def week_window(conn, clock, access, week: str | None):
    """The organisation, the week asked for (this one when none) and its bounds in local time."""
    organisation = await organisations.get(conn, access, access.organisation_id)
    monday = week_asked(week, occurrences.today(clock, organisation.time_zone))
    start = datetime.combine(monday, time(0), ZoneInfo(organisation.time_zone))
    return organisation, monday, start, start + timedelta(days=7)


class PlanController(BoardPages):
    path = "/board"

    @get("/plan")
    async def plan(
        self, board: Board, week: FromQuery[str | None] = None, kind: FromQuery[str | None] = None
    ) -> Template:
        organisation, monday, start, end = await week_window(board.conn, board.clock, board.access, week)
        found = await staffing.staffing_window(board.conn, board.access, start, end)
        unmarked = await attendance.unmarked(board.conn, board.clock, board.access, start, end)
        kind = kind if kind in KINDS else None
        shown = [o for o in found if kind is None or o.kind == kind]
        days = [monday + timedelta(days=n) for n in range(7)]
        return await board.page(
            "board/plan.html",
            organisation=organisation,
            days=days,
            by_day={d: [o for o in shown if o.local_date == d] for d in days},
            names=await _names(board.conn, board.access, shown),
            week=monday,
            week_number=monday.isocalendar().week,
            month_of_week=f"{monday + timedelta(days=3):%Y-%m}",  # the month its Thursday is in, as ISO weeks count
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            kind=kind,
            kinds=KINDS,
            unmarked={s.occurrence_id for s in unmarked},
            unmarked_people=len(unmarked),
        )

    @get("/plan/month")
    async def month(self, board: Board, month: FromQuery[str | None] = None) -> Template:
        """The month as one list: every date, its state, and how many are on it."""
        organisation = await organisations.get(board.conn, board.access, board.access.organisation_id)
        zone = ZoneInfo(organisation.time_zone)
        first, following = hours.month_bounds(
            hours.month_asked(month, occurrences.today(board.clock, organisation.time_zone))
        )
        found = await staffing.staffing_window(
            board.conn,
            board.access,
            datetime.combine(first, time(0), zone),
            datetime.combine(following, time(0), zone),
        )
        return await board.page(
            "board/plan_month.html",
            organisation=organisation,
            found=found,
            first_day=first,
            previous=f"{first - timedelta(days=1):%Y-%m}",
            following=f"{following:%Y-%m}",
        )
