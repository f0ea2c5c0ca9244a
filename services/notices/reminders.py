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
# What can happen to her shift; each is told by the text of its name.
CHANGES = ("assigned", "removed", "moved", "cancelled", "restored")


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


def shift_text(template: str, shift: Shift, person: Recipient, reason: str = "") -> str:
    return texts.write(
        template,
        person.language,
        what=shift.title,
        moment=shift.starts_at,
        time_zone=person.time_zone,
        where=_where(shift, person.language),
        code=shift.code or "",
        reason=reason,
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


async def occurrence_changed(
    conn: asyncpg.Connection, clock: Clock, occurrence_id: int, change: str, reason: str = ""
) -> None:
    """A moved, cancelled or restored occurrence: its reminders re-planned, and everyone on it told."""
    for row in await rows(queries.active_assignments_of_occurrence(conn, occurrence_id=occurrence_id)):
        await plan_for_assignment(conn, clock, row["id"])
        await tell_of_change(conn, clock, row["id"], change, reason=reason)


# Where a newer notice replaces one not yet sent that it undoes, she never heard of either.
UNDOES = {"removed": "assigned", "restored": "cancelled", "assigned": "removed", "cancelled": "restored"}


async def tell_of_change(
    conn: asyncpg.Connection, clock: Clock, assignment_id: int, change: str, *, reason: str = ""
) -> bool:
    """The one rule for what happened to her shift, whichever page, job or API call did it and
    however far ahead: assigned, removed, moved, cancelled or restored is told to her at once, in
    her language (quiet hours kept). A notice not yet sent about the same shift is replaced."""
    assert change in CHANGES, change
    shift = await shift_of(conn, assignment_id)
    now = clock.now()
    if shift is None or shift.starts_at <= now:
        return False
    person = await notices.recipient(conn, shift.person_id)
    replaced = await rows(queries.cancel_pending_changes(conn, assignment_id=assignment_id, now=now))
    if any(row["key"].split(":")[2] == UNDOES[change] for row in replaced) or person is None:
        return False
    body = shift_text("cancelled_because" if reason else change, shift, person, reason)
    key = f"change:{assignment_id}:{change}:{shift.sequence}:{int(now.timestamp())}"
    due = outside_quiet_hours(now, shift.starts_at, person.time_zone)
    return await _write(conn, clock, person, shift, key, "change_notice", body, due)


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
