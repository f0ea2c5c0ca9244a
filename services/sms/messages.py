"""One text for one person, written into the outbox in the transaction of its cause."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.clock import Clock
from services.db import rows
from services.sms import texts
from services.sms.queries import queries
from services.sms.reminders import outside_quiet_hours
from services.sms.segments import count


def reachable(person: asyncpg.Record) -> bool:
    return bool(person["phone"] and person["sms_consent"] and person["sms_opted_out_at"] is None)


async def person(conn: asyncpg.Connection, person_id: int) -> asyncpg.Record | None:
    """A person as a text to them needs them: number, language, zone, consent."""
    return await queries.person_for_sms(conn, person_id=person_id)


async def leave_at(conn: asyncpg.Connection, clock: Clock, key_prefix: str) -> datetime:
    """When the texts just written under these keys actually leave: now, or later for people in
    their quiet hours."""
    return await queries.texts_go_out(conn, key_prefix=key_prefix, now=clock.now())


async def cancel(conn: asyncpg.Connection, key: str) -> None:
    """A text still waiting is not sent after all (its news is out of date)."""
    await queries.cancel_pending(conn, key=key)


async def text(
    conn: asyncpg.Connection,
    clock: Clock,
    person: asyncpg.Record,
    *,
    key: str,
    template: str,
    organisation_id: int | None,
    before: datetime,
    **fields,
) -> bool:
    """The template in the person's language and time zone, due now or, in their quiet hours, at
    the morning window unless `before` (what it is about) comes first. Once per key; False when
    the person cannot be texted (no number, no consent, opted out) or it was already written."""
    if not reachable(person):
        return False
    body = texts.write(template, person["language"], time_zone=person["time_zone"], **fields)
    return bool(
        await queries.enqueue(
            conn,
            key=key,
            kind="message",
            organisation_id=organisation_id,
            person_id=person["id"],
            assignment_id=None,
            to_phone=person["phone"],
            body=body,
            segments=count(body).segments,
            due_at=outside_quiet_hours(clock.now(), before, person["time_zone"]),
            now=clock.now(),
        )
    )


async def text_coordinators(
    conn: asyncpg.Connection,
    clock: Clock,
    organisation_id: int,
    *,
    key: str,
    template: str,
    before: datetime,
    **fields,
) -> int:
    """The same text to each coordinator of an organisation (key gets their id); how many were written."""
    told = 0
    for person in await rows(queries.coordinators_for_sms(conn, organisation_id=organisation_id)):
        told += await text(
            conn,
            clock,
            person,
            key=f"{key}:{person['id']}",
            template=template,
            organisation_id=organisation_id,
            before=before,
            **fields,
        )
    return told
