"""Planning reminders and change notices as outbox rows, in the transaction of the change.

Reminders go at the organisation's offsets (24 h and 2 h by default; a person may choose their own),
only for current assignments, only to people who agreed to SMS. Quiet hours in the person's zone:
nothing 21:00-08:00 unless the shift starts before the next morning window opens.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg

from services.clock import Clock
from services.db import rows
from services.sms import texts
from services.sms.queries import queries
from services.sms.segments import count

QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)
# A reminder planned this late after its time is not worth sending any more.
STALE_AFTER = timedelta(minutes=30)
CHANGE_NOTICE_WITHIN = timedelta(hours=48)


def outside_quiet_hours(due: datetime, starts_at: datetime, time_zone: str) -> datetime:
    local = due.astimezone(ZoneInfo(time_zone))
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return due
    morning = local.date() + (timedelta(days=1) if local.time() >= QUIET_FROM else timedelta())
    window = datetime.combine(morning, QUIET_UNTIL, tzinfo=ZoneInfo(time_zone))
    # The shift starts before the morning window: better a late-evening text than none.
    return window if window < starts_at else due


def _reachable(context: asyncpg.Record) -> bool:
    return bool(context["phone"] and context["sms_consent"] and context["sms_opted_out_at"] is None)


def _where(context: asyncpg.Record) -> str:
    """A place's name only, never a (protected) address; for a pickup also where it goes."""
    where = context["place_name"] or ""
    if context["dropoff_name"]:
        dropoff = texts.dropoff(context["dropoff_name"], context["language"])
        where = f"{where}, {dropoff}" if where else dropoff
    return where


def _shift_text(template: str, context: asyncpg.Record) -> str:
    return texts.write(
        template,
        context["language"],
        what=context["title"],
        moment=context["starts_at"],
        time_zone=context["person_time_zone"],
        where=_where(context),
        code=context["code"],
    )


async def _enqueue(conn, key: str, kind: str, context: asyncpg.Record, body: str, due_at, now) -> int | None:
    """The text for this assignment into the outbox, once per key."""
    return await queries.enqueue(
        conn,
        key=key,
        kind=kind,
        organisation_id=context["organisation_id"],
        person_id=context["person_id"],
        assignment_id=context["assignment_id"],
        to_phone=context["phone"],
        body=body,
        segments=count(body).segments,
        due_at=due_at,
        now=now,
    )


async def shift_of(conn: asyncpg.Connection, assignment_id: int) -> asyncpg.Record:
    """What a text about this assignment says: whose, what, when, the place's name, its code."""
    return await queries.reminder_context(conn, assignment_id=assignment_id)


async def plan_for_assignment(conn: asyncpg.Connection, clock: Clock, assignment_id: int) -> int:
    """Make the reminder rows an assignment should have, cancel the ones it no longer should."""
    context = await queries.reminder_context(conn, assignment_id=assignment_id)
    keep: list[str] = []
    planned = 0
    now = clock.now()
    if (
        context is not None
        and context["assignment_status"] == "active"
        and context["occurrence_status"] == "scheduled"
        and _reachable(context)
        and context["starts_at"] > now
    ):
        body = _shift_text("reminder", context)
        for minutes in sorted(set(context["offsets"] or [])):
            due = outside_quiet_hours(
                context["starts_at"] - timedelta(minutes=minutes),
                context["starts_at"],
                context["person_time_zone"],
            )
            if due < now - STALE_AFTER:
                continue
            key = f"reminder:{assignment_id}:{minutes}:{int(context['starts_at'].timestamp())}"
            keep.append(key)
            planned += bool(await _enqueue(conn, key, "reminder", context, body, max(due, now), now))
    await queries.cancel_pending_for_assignment(conn, assignment_id=assignment_id, keep_keys=keep, now=now)
    return planned


async def occurrence_changed(conn: asyncpg.Connection, clock: Clock, occurrence_id: int, change: str) -> None:
    """A moved, cancelled or restored occurrence: re-plan reminders, and tell people at once when
    it is within 48 hours (the reminders might not reach them in time otherwise)."""
    now = clock.now()
    for row in await rows(queries.active_assignments_of_occurrence(conn, occurrence_id=occurrence_id)):
        await plan_for_assignment(conn, clock, row["id"])
        context = await queries.reminder_context(conn, assignment_id=row["id"])
        if change not in ("moved", "cancelled") or not _reachable(context):
            continue
        if not now <= context["starts_at"] <= now + CHANGE_NOTICE_WITHIN:
            continue
        body = _shift_text(change, context)
        due = outside_quiet_hours(now, context["starts_at"], context["person_time_zone"])
        await _enqueue(
            conn, f"change:{row['id']}:{context['sequence']}", "change_notice", context, body, due, now
        )


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
