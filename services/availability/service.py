from __future__ import annotations

import asyncpg
import msgspec

from schemas.common import FieldError
from schemas.scheduling import Availability, Blackout, WeeklySlot
from services.access.service import Access
from services.availability.queries import queries
from services.db import as_struct, rows
from services.people import service as people
from services.problems import Unprocessable


async def get(conn: asyncpg.Connection, access: Access, person_id: int) -> Availability:
    await people.get_person(conn, access, person_id)  # self or a coordinator; 404 otherwise
    return Availability(
        weekly=[as_struct(WeeklySlot)(r) for r in await rows(queries.weekly_of(conn, person_id=person_id))],
        blackouts=[
            as_struct(Blackout)(r) for r in await rows(queries.blackouts_of(conn, person_id=person_id))
        ],
    )


def _ends_after_start(field: str, what: str, code: str, spans: list[tuple]) -> None:
    for index, (start, end) in enumerate(spans):
        if end <= start:
            raise Unprocessable(
                f"{field}: each {what} must end after it starts.",
                code=code,
                errors=[FieldError(field=f"{field}[{index}]", message="ends before it starts")],
            )


async def replace(
    conn: asyncpg.Connection, access: Access, person_id: int, data: Availability
) -> Availability:
    """The whole pattern at once: what a person fills in on one form."""
    await people.get_person(conn, access, person_id)
    _ends_after_start("weekly", "slot", "bad-slot", [(s.start_local, s.end_local) for s in data.weekly])
    _ends_after_start(
        "blackouts", "period", "bad-blackout", [(b.starts_at, b.ends_at) for b in data.blackouts]
    )
    async with conn.transaction():
        await queries.clear_weekly(conn, person_id=person_id)
        await queries.clear_blackouts(conn, person_id=person_id)
        for slot in data.weekly:
            await queries.add_weekly(conn, person_id=person_id, **msgspec.structs.asdict(slot))
        for blackout in data.blackouts:
            await queries.add_blackout(conn, person_id=person_id, **msgspec.structs.asdict(blackout))
    return await get(conn, access, person_id)
