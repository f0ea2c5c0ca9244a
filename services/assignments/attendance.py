"""Attendance after the fact: everyone on the dates that have begun in a period, marked came or
did not come in one go (all marks or none), and how many are still unmarked, so a report never
silently counts fewer hours than were given."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.access.service import Access
from services.assignments import service as assignments
from services.assignments.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.problems import Unprocessable

MARKS = ("attended", "no_show")


class PastShift(msgspec.Struct, frozen=True, kw_only=True):
    id: int  # the assignment
    person_id: int
    display_name: str
    attendance: str | None
    occurrence_id: int
    starts_at: datetime
    title: str
    time_zone: str
    role_name: str


async def past_shifts(
    conn: asyncpg.Connection, clock: Clock, access: Access, starts_from: datetime, starts_before: datetime
) -> list[PastShift]:
    """Everyone on the organisation's dates that began in the period, in date order."""
    access.require_coordinator("mark attendance")
    found = await rows(
        queries.past_shifts(
            conn,
            organisation_id=access.organisation_id,
            starts_from=starts_from,
            starts_before=starts_before,
            now=clock.now(),
        )
    )
    return [as_struct(PastShift)(row) for row in found]


async def unmarked(
    conn: asyncpg.Connection, clock: Clock, access: Access, starts_from: datetime, starts_before: datetime
) -> list[PastShift]:
    """Those whose attendance nobody has marked yet."""
    return [s for s in await past_shifts(conn, clock, access, starts_from, starts_before) if not s.attendance]


async def mark_all(conn: asyncpg.Connection, clock: Clock, access: Access, marks: dict[int, str]) -> int:
    """Each assignment's mark, all or none; how many were marked."""
    for mark in marks.values():
        if mark not in MARKS:
            raise Unprocessable(f"Not an attendance: {mark!r}.", code="bad-form")
    async with conn.transaction():
        for assignment_id, mark in sorted(marks.items()):
            await assignments.mark_attendance(conn, clock, access, assignment_id, mark)
    return len(marks)


async def no_shows_of(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> int:
    """How often in the last year she was on one of the organisation's dates and did not come."""
    access.require_coordinator("see attendance")
    since = clock.now().date() - timedelta(days=365)
    return await queries.no_shows_of(
        conn, organisation_id=access.organisation_id, person_id=person_id, since=since
    )
