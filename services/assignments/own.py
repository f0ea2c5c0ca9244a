"""A volunteer's own shifts as her page shows them, in every organisation she is in, and the open places she could take."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import msgspec

from schemas.scheduling import Assignment, Occurrence
from services.access.service import Access
from services.assignments.queries import queries
from services.assignments.service import to_assignment
from services.clock import Clock
from services.db import as_struct, rows
from services.occurrences import staffing
from services.problems import NotFound, Unprocessable


class MyShift(msgspec.Struct, frozen=True, kw_only=True):
    """One of a volunteer's own shifts as her page shows it."""

    id: int
    occurrence_id: int
    late: bool
    code: str | None
    attendance: str | None
    starts_at: datetime
    ends_at: datetime
    occurrence_status: str
    place_id: int | None
    title: str
    kind: str
    time_zone: str
    organisation_id: int
    role_name: str
    dropoff_place_id: int | None
    others: list[str]  # who else is on it
    offer_id: int | None  # her open offer of it to a colleague


async def shifts_of(conn: asyncpg.Connection, clock: Clock, person_id: int, weeks: int = 8) -> list[MyShift]:
    """A volunteer's own shifts from a month back to `weeks` ahead, in every organisation."""
    now = clock.now()
    found = await rows(
        queries.shifts_of_person(
            conn,
            person_id=person_id,
            starts_from=now - timedelta(days=31),
            starts_before=now + timedelta(weeks=weeks),
        )
    )
    return [as_struct(MyShift)(row) for row in found]


async def open_and_full_places(
    conn: asyncpg.Connection, clock: Clock, access: Access, weeks: int
) -> tuple[list[tuple[Occurrence, list[int]]], list[tuple[Occurrence, list[int]]]]:
    """Each coming occurrence with places she may take, and which roles; and those whose roles she
    could take are full (she may watch them). One query and one staffing read for both."""
    if not 1 <= weeks <= 26:
        raise Unprocessable("weeks must be between 1 and 26.", code="weeks-out-of-range")
    now = clock.now()
    found = await rows(
        queries.open_places(
            conn,
            organisation_id=access.organisation_id,
            person_id=access.person_id,
            starts_from=now,
            starts_before=now + timedelta(weeks=weeks),
        )
    )
    staffed = {
        o.id: o for o in await staffing.staffing_window(conn, access, now, now + timedelta(weeks=weeks))
    }

    def with_roles(column: str) -> list[tuple[Occurrence, list[int]]]:
        return [
            (staffed[r["occurrence_id"]], list(r[column]))
            for r in found
            if r[column] and r["occurrence_id"] in staffed
        ]

    return with_roles("open_role_ids"), with_roles("full_role_ids")


async def open_places(
    conn: asyncpg.Connection, clock: Clock, access: Access, weeks: int
) -> list[tuple[Occurrence, list[int]]]:
    """Each coming occurrence with places she may take now, and which roles."""
    return (await open_and_full_places(conn, clock, access, weeks))[0]


async def open_occurrence_ids(
    conn: asyncpg.Connection,
    organisation_id: int,
    person_id: int,
    starts_from: datetime,
    starts_before: datetime,
) -> list[int]:
    """The dates with a place this person could take now (her open-shifts feed)."""
    found = await rows(
        queries.open_places(
            conn,
            organisation_id=organisation_id,
            person_id=person_id,
            starts_from=starts_from,
            starts_before=starts_before,
        )
    )
    return [r["occurrence_id"] for r in found if r["open_role_ids"]]


class OwnAssignment(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    occurrence_id: int
    role_id: int
    status: str
    starts_at: datetime
    title: str


async def own_assignment(conn: asyncpg.Connection, access: Access, assignment_id: int) -> OwnAssignment:
    """Her own assignment, as its people see it; "not found" for anyone else's."""
    mine = await queries.get_assignment(conn, id=assignment_id)
    if mine is None or mine["person_id"] != access.person_id or not access.sees(mine):
        raise NotFound(f"You have no assignment {assignment_id}.", code="assignment-not-found")
    return as_struct(OwnAssignment)(mine)


async def as_volunteer(conn: asyncpg.Connection, person_id: int, language: str) -> dict[int, Access]:
    """The person acting as a volunteer in each organisation where she is one (her own page)."""
    return {
        r["organisation_id"]: Access.without_token(person_id, r["organisation_id"], "volunteer", language)
        for r in await rows(queries.volunteer_organisations(conn, person_id=person_id))
    }


async def upcoming(conn: asyncpg.Connection, clock: Clock, access: Access) -> list[Assignment]:
    records = await rows(
        queries.assignments_of_person(
            conn,
            organisation_id=access.organisation_id,
            person_id=access.person_id,
            starts_from=clock.now(),
            limit=200,
        )
    )
    return [to_assignment(r) for r in records]
