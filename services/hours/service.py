from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import asyncpg
import msgspec

from schemas.scheduling import HoursReport, HoursRow, PersonMonth
from services import spreadsheet
from services.access import links
from services.access.service import Access
from services.activities.kinds import kind_name
from services.clock import YEARS_WORDS, Clock, sane_year
from services.db import as_struct, rows
from services.hours.queries import queries
from services.people import service as people
from services.problems import Gone, NotFound, Unprocessable, refusals
from services.words import N_, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "bad-month": N_("Choose a month like 2026-03."),
        "report-link-not-found": N_("That link is switched off already."),
    }
)

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def month_bounds(month: str) -> tuple[date, date]:
    match = _MONTH.match(month)
    if not match or not 1 <= int(match.group(2)) <= 12 or not sane_year(int(match.group(1))):
        raise Unprocessable(f"month must look like 2026-03, {YEARS_WORDS}.", code="bad-month")
    year, number = int(match.group(1)), int(match.group(2))
    return date(year, number, 1), date(year + number // 12, number % 12 + 1, 1)


def month_asked(month: str | None, today: date) -> str:
    """The month a page asked for, or the one `today` (in the organisation's zone) falls in."""
    return month or f"{today:%Y-%m}"


async def report(conn: asyncpg.Connection, access: Access, month: str) -> HoursReport:
    """Attended volunteer hours per kind of activity in a month (occurrence dates in local time)."""
    access.require_coordinator("read the hours report")
    first_day, next_month = month_bounds(month)
    records = await rows(
        queries.hours_by_kind(
            conn, organisation_id=access.organisation_id, first_day=first_day, next_month=next_month
        )
    )
    lines = [HoursRow(month=month, **dict(r)) for r in records]
    return HoursReport(
        organisation_id=access.organisation_id,
        month=month,
        rows=lines,
        total_hours=round(sum(r.hours for r in lines), 2),
    )


async def breakdown(conn: asyncpg.Connection, access: Access, month: str) -> tuple[list, list]:
    """The month's attended hours by activity and by volunteer (for the coordinators' report page)."""
    access.require_coordinator("read the hours report")
    first_day, next_month = month_bounds(month)
    window = {"organisation_id": access.organisation_id, "first_day": first_day, "next_month": next_month}
    return (
        await rows(queries.hours_by_activity(conn, **window)),
        await rows(queries.hours_by_volunteer(conn, **window)),
    )


async def of_person(
    conn: asyncpg.Connection, access: Access, person_id: int, today: date
) -> list[PersonMonth]:
    """A person's attended hours per month over the last year (coordinators, or the person)."""
    await people.get_person(conn, access, person_id)  # self or a coordinator; 404 otherwise
    since = date(today.year - 1, today.month, 1)
    records = await rows(
        queries.hours_of_person(
            conn, organisation_id=access.organisation_id, person_id=person_id, first_day=since
        )
    )
    return [as_struct(PersonMonth)(r) for r in records]


REPORT_LINK = "funder-report"
LINK_DAYS = (7, 30, 90)


async def report_link(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    month: str,
    names: bool,
    days: int,
    public_base: str,
) -> str:
    """A read-only link to a month's report for a funder or municipality: expiring, without
    volunteers' names unless the coordinator chose to include them, listed on the board until it
    is switched off, and dead once its sharer is no longer a coordinator here."""
    access.require_coordinator("share the hours report")
    access.require_api_scope("share the hours report")
    if days not in LINK_DAYS:
        raise Unprocessable(f"days: one of {LINK_DAYS}.", code="bad-link-days")
    first, _next = month_bounds(month)
    now = clock.now()
    link_id = await queries.insert_report_link(
        conn,
        organisation_id=access.organisation_id,
        shared_by=access.person_id,
        month=first,
        names=names,
        now=now,
        expires_at=now + timedelta(days=days),
    )
    token = await links.sign(conn, REPORT_LINK, (link_id,), now + timedelta(days=days))
    return f"{public_base}/r/{token}"


async def opened_report_link(conn: asyncpg.Connection, clock: Clock, token: str) -> tuple[Access, str, bool]:
    """Who shared the report (acting for them, reading only), which month, and whether names are
    shown. A link switched off, or whose sharer left the coordinators, is gone."""
    (link_id,) = await links.open_link(conn, REPORT_LINK, token, clock.now())
    link = await queries.live_report_link(conn, id=link_id, now=clock.now())
    if link is None:
        raise Gone("This link was switched off.", code="link-expired")
    access = Access.without_token(link["shared_by"], link["organisation_id"], "coordinator")
    return access, f"{link['month']:%Y-%m}", link["names"]


class ReportLink(msgspec.Struct, frozen=True):
    """A shared report link, as the board lists it (never its address: that was shown once)."""

    id: int
    month: date
    names: bool
    created_at: datetime
    expires_at: datetime
    shared_by: str


async def report_links(conn: asyncpg.Connection, clock: Clock, access: Access) -> list[ReportLink]:
    access.require_coordinator("see the shared report links")
    found = await rows(queries.report_links_of(conn, organisation_id=access.organisation_id, now=clock.now()))
    return [as_struct(ReportLink)(row) for row in found]


async def switch_off_report_link(
    conn: asyncpg.Connection, clock: Clock, access: Access, link_id: int
) -> None:
    access.require_coordinator("switch off a shared report link")
    if (
        await queries.revoke_report_link(
            conn, organisation_id=access.organisation_id, id=link_id, now=clock.now()
        )
        is None
    ):
        raise NotFound(f"There is no report link {link_id}.", code="report-link-not-found")


# The CSV's columns, in the reader's words.
CSV_COLUMNS = (N_("Month"), N_("Kind"), N_("Hours"), N_("Dates"), N_("Volunteers"))
TOTAL = N_("Total")


def as_csv(report: HoursReport, language: str) -> str:
    """The month's figures as a spreadsheet opens them, in the reader's language."""
    lines = [
        [row.month, kind_name(row.kind, language), f"{row.hours:.2f}", row.occurrences, row.volunteers]
        for row in report.rows
    ]
    lines.append([report.month, translate(language, TOTAL), f"{report.total_hours:.2f}", "", ""])
    return spreadsheet.csv_text([translate(language, column) for column in CSV_COLUMNS], lines)
