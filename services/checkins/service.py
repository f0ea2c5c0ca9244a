"""Outreach is done in pairs, at night, in hard places. When a visit ends, everyone on it is asked
by SMS to reply OK when they are done and safe. When nobody of the pair has answered within the
check-in window (the activity's, else the organisation's, 30 minutes by default), the on-duty
coordinators get one SMS with the pair's first names and numbers; still nothing thirty minutes
later, every coordinator does. An OK after an alert tells the alerted coordinators all is fine.
Quiet hours do not hold any of this back, and no text names a place.

Each step is a row written in the same transaction as its texts (a check-in per person, an alert
per level), so a job run twice, or by two workers, or after one was killed, texts once."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from services.access.service import Access
from services.checkins.queries import queries
from services.clock import Clock
from services.db import rows
from services.notices import service as notices
from services.problems import NotFound, Unprocessable

ASK_WITHIN = timedelta(hours=6)  # a visit that ended longer ago (a worker away all night) is not asked
ALERT_WITHIN = timedelta(days=1)
ALERT_LEVELS = (1, 2)  # the on-duty coordinators, then all


async def ask_ended_visits(conn: asyncpg.Connection, clock: Clock) -> int:
    """One "reply OK when you are safe" to each person on an outreach visit that has ended."""
    now = clock.now()
    async with conn.transaction():
        asked = await rows(queries.ask_ended_visits(conn, now=now, since=now - ASK_WITHIN))
        for row in asked:
            await notices.tell(
                conn,
                clock,
                row["person_id"],
                key=f"check-in:{row['occurrence_id']}:{row['person_id']}",
                template="check_in_ask",
                organisation_id=row["organisation_id"],
                before=now,  # never held for quiet hours
                what=row["title"],
                code=row["code"],
            )
    return len(asked)


async def _text_coordinators(conn, clock, visit, level: int, key: str, template: str, who: str) -> int:
    """Level 1 the coordinators on duty, level 2 every coordinator; never held for quiet hours."""
    return await notices.tell_on_duty(
        conn,
        clock,
        visit["organisation_id"],
        key=key,
        template=template,
        before=clock.now(),
        everyone=level > 1,
        what=visit["title"],
        who=who,
    )


async def alert_unanswered(conn: asyncpg.Connection, clock: Clock) -> int:
    """The alerts that are due: how many coordinators were texted."""
    now, told = clock.now(), 0
    for level in ALERT_LEVELS:
        for visit in await rows(
            queries.visits_to_alert(conn, now=now, level=level, since=now - ALERT_WITHIN)
        ):
            async with conn.transaction():
                if (
                    await queries.insert_alert(
                        conn, occurrence_id=visit["occurrence_id"], level=level, now=now
                    )
                    is None
                ):
                    continue  # another worker wrote it first
                pair = await rows(queries.pair(conn, occurrence_id=visit["occurrence_id"]))
                who = ", ".join(f"{p['first_name']} {p['phone'] or '–'}" for p in pair)
                told += await _text_coordinators(
                    conn,
                    clock,
                    visit,
                    level,
                    f"check-in-alert:{visit['occurrence_id']}:{level}",
                    "check_in_alert",
                    who,
                )
    return told


async def answer(conn: asyncpg.Connection, clock: Clock, person_id: int, code: str | None) -> bool:
    """An OK from someone asked to check in: she is safe. After an alert, the coordinators who got
    it hear all is fine. False when she has no check-in waiting (the OK is about something else)."""
    now = clock.now()
    async with conn.transaction():
        visit = await queries.waiting_check_in(conn, person_id=person_id, code=code, since=now - ALERT_WITHIN)
        if visit is None and code is not None:  # a code from another text: her latest visit still counts
            visit = await queries.waiting_check_in(
                conn, person_id=person_id, code=None, since=now - ALERT_WITHIN
            )
        if visit is None:
            return False
        await queries.mark_safe(conn, occurrence_id=visit["occurrence_id"], person_id=person_id, now=now)
        if visit["alerted"] and not visit["someone_safe"]:
            first = await queries.first_name(conn, person_id=person_id)
            await _text_coordinators(
                conn,
                clock,
                visit,
                visit["alerted"],
                f"check-in-fine:{visit['occurrence_id']}",
                "check_in_fine",
                first,
            )
    return True


async def states(conn: asyncpg.Connection, occurrence_ids: list[int]) -> dict[int, str]:
    """waiting / safe / alerted for each visit that has asked for check-ins."""
    found = await rows(queries.states(conn, occurrence_ids=occurrence_ids))
    return {r["occurrence_id"]: r["state"] for r in found}


async def set_on_duty(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, on: bool
) -> None:
    """A coordinator on duty gets the first check-in alerts (with nobody on duty, all do)."""
    access.require_coordinator("choose who is on duty")
    if on:
        try:
            await queries.set_on_duty(
                conn, organisation_id=access.organisation_id, person_id=person_id, now=clock.now()
            )
        except asyncpg.ForeignKeyViolationError:
            raise Unprocessable("Only a coordinator can be on duty.", code="not-a-coordinator") from None
    else:
        await queries.set_off_duty(conn, organisation_id=access.organisation_id, person_id=person_id)


async def is_on_duty(conn: asyncpg.Connection, access: Access, person_id: int) -> bool:
    return await queries.is_on_duty(conn, organisation_id=access.organisation_id, person_id=person_id)


async def set_window(
    conn: asyncpg.Connection, access: Access, minutes: int | None, activity_id: int | None = None
) -> None:
    """How long after a visit ends the pair has to check in: the organisation's (5-720 minutes),
    or one activity's (None: the organisation's again)."""
    access.require_coordinator("set the check-in window")
    if activity_id is None:
        await queries.set_organisation_window(
            conn, organisation_id=access.organisation_id, minutes=minutes or 30
        )
    elif (
        await queries.set_activity_window(
            conn, organisation_id=access.organisation_id, activity_id=activity_id, minutes=minutes
        )
        is None
    ):
        raise NotFound(f"There is no activity {activity_id}.", code="activity-not-found")
