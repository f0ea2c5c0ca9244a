"""Reminders and change notices about a shift, planned as outbox rows in the transaction of the change.

Reminders go at the organisation's offsets (24 h and 2 h by default; a person may choose their own),
only for current assignments, only to people who can be reached. Quiet hours in the person's zone:
nothing 21:00-08:00 unless the shift starts before the next morning window opens.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.channel import Recipient
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.notices import texts
from services.notices.queries import queries
from services.notices.timing import outside_quiet_hours

# A reminder planned this late after its time is not worth sending any more.
STALE_AFTER = timedelta(minutes=30)
CHANGE_NOTICE_WITHIN = timedelta(hours=48)


class Shift(msgspec.Struct, frozen=True, kw_only=True):
    """What a notice about one assignment says (a place's name only, never an address), and when
    its reminders go."""

    assignment_id: int
    assignment_status: str
    person_id: int
    code: str | None
    occurrence_status: str
    starts_at: datetime
    sequence: int
    organisation_id: int
    title: str
    place_name: str | None
    dropoff_name: str | None
    offsets: list[int] | None


async def shift_of(conn: asyncpg.Connection, assignment_id: int) -> Shift | None:
    found = await queries.shift(conn, assignment_id=assignment_id)
    return as_struct(Shift)(found) if found is not None else None


def _where(shift: Shift, language: str) -> str:
    """A place's name only, never a (protected) address; for a pickup also where it goes."""
    where = shift.place_name or ""
    if shift.dropoff_name:
        dropoff = texts.dropoff(shift.dropoff_name, language)
        where = f"{where}, {dropoff}" if where else dropoff
    return where


def shift_text(template: str, shift: Shift, person: Recipient) -> str:
    return texts.write(
        template,
        person.language,
        what=shift.title,
        moment=shift.starts_at,
        time_zone=person.time_zone,
        where=_where(shift, person.language),
        code=shift.code or "",
    )


async def _write(
    conn, clock: Clock, person: Recipient, shift: Shift, key: str, kind: str, body: str, due_at
) -> bool:
    return await notices.write(
        conn,
        clock,
        person,
        body,
        key=key,
        kind=kind,
        organisation_id=shift.organisation_id,
        before=shift.starts_at,
        assignment_id=shift.assignment_id,
        due_at=due_at,
    )


async def plan_for_assignment(conn: asyncpg.Connection, clock: Clock, assignment_id: int) -> int:
    """Make the reminder rows an assignment should have, cancel the ones it no longer should."""
    shift = await shift_of(conn, assignment_id)
    keep: list[str] = []
    planned = 0
    now = clock.now()
    person = await notices.recipient(conn, shift.person_id) if shift is not None else None
    if (
        shift is not None
        and person is not None
        and shift.assignment_status == "active"
        and shift.occurrence_status == "scheduled"
        and notices.channel_for(person) is not None
        and shift.starts_at > now
    ):
        body = shift_text("reminder", shift, person)
        for minutes in sorted(set(shift.offsets or [])):
            due = outside_quiet_hours(
                shift.starts_at - timedelta(minutes=minutes), shift.starts_at, person.time_zone
            )
            if due < now - STALE_AFTER:
                continue
            key = f"reminder:{assignment_id}:{minutes}:{int(shift.starts_at.timestamp())}"
            keep.append(key)
            planned += await _write(conn, clock, person, shift, key, "reminder", body, max(due, now))
    await queries.cancel_pending_for_assignment(conn, assignment_id=assignment_id, keep_keys=keep, now=now)
    return planned


async def occurrence_changed(conn: asyncpg.Connection, clock: Clock, occurrence_id: int, change: str) -> None:
    """A moved, cancelled or restored occurrence: re-plan reminders, and tell people at once when
    it is within 48 hours (the reminders might not reach them in time otherwise)."""
    now = clock.now()
    for row in await rows(queries.active_assignments_of_occurrence(conn, occurrence_id=occurrence_id)):
        await plan_for_assignment(conn, clock, row["id"])
        shift = await shift_of(conn, row["id"])
        person = await notices.recipient(conn, shift.person_id)
        if change not in ("moved", "cancelled") or person is None:
            continue
        if not now <= shift.starts_at <= now + CHANGE_NOTICE_WITHIN:
            continue
        body = shift_text(change, shift, person)
        key = f"change:{row['id']}:{shift.sequence}"
        await _write(conn, clock, person, shift, key, "change_notice", body, None)


async def plan_upcoming(conn: asyncpg.Connection, clock: Clock, days: int = 15) -> int:
    """The worker's safety net: every current assignment in the next days has its reminders."""
    now = clock.now()
    planned = 0
    for row in await rows(
        queries.assignments_starting(conn, starts_from=now, starts_before=now + timedelta(days=days))
    ):
        planned += await plan_for_assignment(conn, clock, row["id"])
    return planned


async def plan_person(conn: asyncpg.Connection, clock: Clock, person_id: int) -> None:
    """After a person changed their reminder times: every current shift of theirs follows."""
    for row in await rows(queries.current_assignments_of(conn, person_id=person_id, now=clock.now())):
        await plan_for_assignment(conn, clock, row["id"])
