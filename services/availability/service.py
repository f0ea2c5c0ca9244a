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


async def replace(
    conn: asyncpg.Connection, access: Access, person_id: int, data: Availability
) -> Availability:
    """The whole pattern at once: what a person fills in on one form."""
    await people.get_person(conn, access, person_id)
    for index, slot in enumerate(data.weekly):
        if slot.end_local <= slot.start_local:
            raise Unprocessable(
                "weekly: each slot must end after it starts.",
                code="bad-slot",
                errors=[FieldError(field=f"weekly[{index}]", message="ends before it starts")],
            )
    for index, blackout in enumerate(data.blackouts):
        if blackout.ends_at <= blackout.starts_at:
            raise Unprocessable(
                "blackouts: each period must end after it starts.",
                code="bad-blackout",
                errors=[FieldError(field=f"blackouts[{index}]", message="ends before it starts")],
            )
    async with conn.transaction():
        await queries.clear_weekly(conn, person_id=person_id)
        await queries.clear_blackouts(conn, person_id=person_id)
        for slot in data.weekly:
            await queries.add_weekly(conn, person_id=person_id, **msgspec.structs.asdict(slot))
        for blackout in data.blackouts:
            await queries.add_blackout(conn, person_id=person_id, **msgspec.structs.asdict(blackout))
    return await get(conn, access, person_id)
