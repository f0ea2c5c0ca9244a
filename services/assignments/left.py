"""Every withdrawal reaches a coordinator, however it was made (SMS, her page, the API): the board
shows who left which coming shift, how and when, until a coordinator has seen it; and one within
48 hours of the shift is texted at once to the coordinators on duty, since the place must be filled
soon."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.access.service import Access
from services.assignments.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.problems import NotFound, refusals
from services.words import N_

REFUSALS = refusals({"nothing-to-see": N_("That withdrawal was seen already, or is not here.")})
SOON = timedelta(hours=48)


class LeftShift(msgspec.Struct, frozen=True, kw_only=True):
    id: int  # the assignment she left
    person_id: int
    display_name: str
    ended_at: datetime
    ended_via: str | None  # sms, page, api…
    late: bool  # after the organisation's cut-off
    occurrence_id: int
    starts_at: datetime
    title: str
    time_zone: str
    role_id: int
    role_name: str


async def left_unseen(
    conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int | None = None
) -> list[LeftShift]:
    """Who left a coming shift (of one date, when given) and no coordinator has seen it yet,
    newest first."""
    access.require_coordinator("see who left a shift")
    found = await rows(
        queries.left_unseen(
            conn, organisation_id=access.organisation_id, occurrence_id=occurrence_id, now=clock.now()
        )
    )
    return [as_struct(LeftShift)(row) for row in found]


async def mark_seen(conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int) -> None:
    access.require_coordinator("see who left a shift")
    seen = await queries.mark_seen(
        conn, organisation_id=access.organisation_id, id=assignment_id, by=access.person_id, now=clock.now()
    )
    if seen is None:
        raise NotFound(f"There is no unseen withdrawal {assignment_id}.", code="nothing-to-see")


async def tell_on_duty_if_soon(conn: asyncpg.Connection, clock: Clock, row: asyncpg.Record, name: str) -> int:
    """A withdrawal within 48 hours of the shift texts the coordinators on duty; how many."""
    now = clock.now()
    if row["starts_at"] - now > SOON:
        return 0
    return await notices.tell_on_duty(
        conn,
        clock,
        row["organisation_id"],
        key=f"left:{row['id']}",
        template="left_alert",
        before=now,  # the place must be filled soon: not held for quiet hours
        who=name.split(" ")[0],
        what=row["title"],
        moment=row["starts_at"],
    )
