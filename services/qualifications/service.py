from __future__ import annotations

from datetime import timedelta

import asyncpg

from schemas.people import (
    ExpiringQualification,
    PersonQualification,
    PersonQualificationCreate,
    QualificationType,
    QualificationTypeCreate,
)
from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.problems import Conflict, Unprocessable, refusals
from services.qualifications.queries import queries
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "qualification-exists": N_("That qualification type exists already."),
        "unknown-qualification": N_("There is no such qualification type here."),
    }
)


async def list_types(conn: asyncpg.Connection, access: Access) -> list[QualificationType]:
    records = await rows(queries.list_types(conn, organisation_id=access.organisation_id))
    return [as_struct(QualificationType)(r) for r in records]


async def create_type(
    conn: asyncpg.Connection, access: Access, data: QualificationTypeCreate
) -> QualificationType:
    access.require_coordinator("add qualification types")
    name = " ".join(data.name.split())
    row = await queries.insert_type(conn, organisation_id=access.organisation_id, name=name)
    if row is None:
        raise Conflict(f"The qualification {name!r} exists already.", code="qualification-exists")
    return as_struct(QualificationType)(row)


EXPIRING_WITHIN = (30, 60)  # days: the choices coordinators look ahead by


async def expiring(
    conn: asyncpg.Connection, clock: Clock, access: Access, days: int
) -> list[ExpiringQualification]:
    """Qualifications that end within `days` (30 or 60) and have not been renewed, soonest first."""
    access.require_coordinator("see expiring qualifications")
    if days not in EXPIRING_WITHIN:
        raise Unprocessable("days: look ahead 30 or 60 days.", code="bad-days")
    today = clock.now().date()
    records = await rows(
        queries.expiring(
            conn,
            organisation_id=access.organisation_id,
            from_date=today,
            until_date=today + timedelta(days=days + 1),
        )
    )
    return [as_struct(ExpiringQualification)(r) for r in records]


async def types_by_name(conn: asyncpg.Connection, organisation_id: int) -> dict[str, QualificationType]:
    """The organisation's qualifications by their name in any case."""
    records = await rows(queries.list_types(conn, organisation_id=organisation_id))
    return {r["name"].casefold(): as_struct(QualificationType)(r) for r in records}


async def list_for_person(
    conn: asyncpg.Connection, organisation_id: int, person_id: int
) -> list[PersonQualification]:
    records = await rows(
        queries.list_person_qualifications(conn, organisation_id=organisation_id, person_id=person_id)
    )
    return [as_struct(PersonQualification)(r) for r in records]


async def record(
    conn: asyncpg.Connection,
    clock: Clock,
    *,
    person_id: int,
    qualification_type_id: int,
    valid_from,
    valid_until,
    recorded_by: int | None,
) -> bool:
    """Record a qualification unless the same one is on file; True when something was added."""
    if valid_from and valid_until and valid_until < valid_from:
        raise Unprocessable("valid_until is before valid_from.", code="bad-validity")
    if await queries.has_person_qualification(
        conn, person_id=person_id, qualification_type_id=qualification_type_id, valid_until=valid_until
    ):
        return False
    await queries.insert_person_qualification(
        conn,
        person_id=person_id,
        qualification_type_id=qualification_type_id,
        valid_from=valid_from,
        valid_until=valid_until,
        recorded_by=recorded_by,
        recorded_at=clock.now(),
    )
    return True


async def add_for_person(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, data: PersonQualificationCreate
) -> list[PersonQualification]:
    access.require_coordinator("record qualifications")
    if (
        await queries.get_type(conn, organisation_id=access.organisation_id, id=data.qualification_type_id)
        is None
    ):
        raise Unprocessable(
            f"There is no qualification type {data.qualification_type_id} in this organisation.",
            code="unknown-qualification",
        )
    await record(
        conn,
        clock,
        person_id=person_id,
        qualification_type_id=data.qualification_type_id,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        recorded_by=access.person_id,
    )
    return await list_for_person(conn, access.organisation_id, person_id)
