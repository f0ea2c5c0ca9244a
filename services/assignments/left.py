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
from services.notices import reminders
from services.notices import service as notices
from services.problems import Conflict, NotFound, refusals
from services.words import N_

REFUSALS = refusals(
    {
        "nothing-to-see": N_("That withdrawal was seen already, or is not here."),
        "too-late-to-undo": N_("A coordinator has already acted on it. Please call your coordinator."),
        "place-taken": N_("Someone else has taken your place. Please call your coordinator."),
    }
)
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
    organisation_id: int
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


async def undoable(conn: asyncpg.Connection, clock: Clock, person_id: int) -> list[LeftShift]:
    """Her "I can't come"s that she may still take back: no coordinator has acted on them."""
    found = await rows(queries.undoable_withdrawals(conn, person_id=person_id, now=clock.now()))
    return [as_struct(LeftShift)(row) for row in found]


async def come_after_all(conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int) -> None:
    """She can come after all, and no coordinator has acted on her leaving yet: the place is hers
    again (if nobody has taken it), her reminders come back, and an alert about her leaving that
    has not gone is not sent; one that has gone is followed by "she can come after all"."""
    shift = next((s for s in await undoable(conn, clock, access.person_id) if s.id == assignment_id), None)
    if shift is None:
        raise Conflict(f"Assignment {assignment_id} cannot be taken back now.", code="too-late-to-undo")
    try:
        async with conn.transaction():
            await queries.come_back(conn, id=assignment_id, person_id=access.person_id)
    except (asyncpg.CheckViolationError, asyncpg.ExclusionViolationError, asyncpg.UniqueViolationError):
        raise Conflict("The place is no longer free.", code="place-taken") from None
    await reminders.plan_for_assignment(conn, clock, assignment_id)
    if not await notices.take_back(conn, clock, f"left:{assignment_id}:"):
        return  # the coordinators on duty never heard of it
    await notices.tell_on_duty(
        conn,
        clock,
        shift.organisation_id,
        key=f"came-back:{assignment_id}:{int(clock.now().timestamp())}",
        template="left_undone",
        before=clock.now(),
        who=shift.display_name.split(" ")[0],
        what=shift.title,
        moment=shift.starts_at,
    )


async def left_since(
    conn: asyncpg.Connection, clock: Clock, access: Access, since: datetime
) -> list[LeftShift]:
    """Who left a coming shift after `since` (her last look at the board), seen by others or not."""
    access.require_coordinator("see who left a shift")
    found = await rows(
        queries.left_since(conn, organisation_id=access.organisation_id, since=since, now=clock.now())
    )
    return [as_struct(LeftShift)(row) for row in found]
