"""Telling a person something: one notice, written into the outbox in the transaction of its
cause, on the channel she chose when it reaches her, else on the first that does."""

from __future__ import annotations

from datetime import datetime

import asyncpg

from services.channel import Channel, Recipient
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import texts
from services.notices.queries import queries
from services.notices.registry import CHANNELS
from services.notices.timing import outside_quiet_hours


async def recipients(conn: asyncpg.Connection, person_ids: list[int]) -> list[Recipient]:
    """These people, each with where every channel reaches her."""
    found = await rows(queries.recipients(conn, person_ids=person_ids))
    reach: dict[int, dict[str, str]] = {row["id"]: {} for row in found}
    for channel in CHANNELS.values():
        for person_id, address in (await channel.addresses(conn, list(reach))).items():
            reach[person_id][channel.name] = address
    return [as_struct(Recipient)(row, reach=reach[row["id"]]) for row in found]


async def recipient(conn: asyncpg.Connection, person_id: int) -> Recipient | None:
    found = await recipients(conn, [person_id])
    return found[0] if found else None


def channel_for(person: Recipient) -> tuple[Channel, str] | None:
    """Her own choice when it reaches her, else the first channel that does; None when none can."""
    preferred = CHANNELS.get(person.notice_channel)
    for channel in ([preferred] if preferred else []) + list(CHANNELS.values()):
        address = person.reach.get(channel.name)
        if address is not None:
            return channel, address
    return None


async def reachable(conn: asyncpg.Connection, person_id: int) -> bool:
    """Whether anything can be told to her at all (a number she agreed to be texted at, …)."""
    return bool(await reachable_among(conn, [person_id]))


async def reachable_among(conn: asyncpg.Connection, person_ids: list[int]) -> set[int]:
    """Which of these people can be told anything."""
    return {person.id for person in await recipients(conn, person_ids) if channel_for(person) is not None}


async def write(
    conn: asyncpg.Connection,
    clock: Clock,
    person: Recipient,
    body: str,
    *,
    key: str,
    kind: str,
    organisation_id: int | None,
    before: datetime,
    assignment_id: int | None = None,
    answers_reply: int | None = None,
    due_at: datetime | None = None,
    to: tuple[Channel, str] | None = None,
) -> bool:
    """One outbox row for a notice already worded; False when no channel reaches her or it was
    written before. Due at `due_at` when given (already placed outside her quiet hours), else now
    or, in her quiet hours, at the morning window unless `before` (what it is about) comes first."""
    way = to or channel_for(person)
    if way is None:
        return False
    channel, address = way
    now = clock.now()
    return bool(
        await queries.enqueue(
            conn,
            key=key,
            channel=channel.name,
            kind=kind,
            organisation_id=organisation_id,
            person_id=person.id,
            assignment_id=assignment_id,
            answers_reply=answers_reply,
            to_address=address,
            body=body,
            segments=channel.size(body),
            due_at=due_at or outside_quiet_hours(now, before, person.time_zone),
            now=now,
        )
    )


async def tell(
    conn: asyncpg.Connection,
    clock: Clock,
    person_id: int,
    *,
    key: str,
    template: str,
    organisation_id: int | None,
    before: datetime,
    **fields,
) -> bool:
    """One of the texts (by its name) in her language and time zone. Once per key; False when she
    cannot be reached (no number, no consent, opted out) or it was already written."""
    person = await recipient(conn, person_id)
    if person is None:
        return False
    body = texts.write(template, person.language, time_zone=person.time_zone, **fields)
    return await write(
        conn, clock, person, body, key=key, kind="message", organisation_id=organisation_id, before=before
    )


async def send_code(
    conn: asyncpg.Connection,
    clock: Clock,
    person_id: int,
    phone: str,
    *,
    key: str,
    code: str,
    organisation_id: int,
    before: datetime,
) -> None:
    """A one-time code to a number being proven: it goes there, whatever her consent to texts
    about shifts, since asking for it is her consent to this one."""
    person = await recipient(conn, person_id)
    if person is None:
        return
    body = texts.write("sign_in_code", person.language, code=code)
    to = (CHANNELS["sms"], phone)
    await write(
        conn,
        clock,
        person,
        body,
        key=key,
        kind="message",
        organisation_id=organisation_id,
        before=before,
        to=to,
    )


async def tell_on_duty(
    conn: asyncpg.Connection,
    clock: Clock,
    organisation_id: int,
    *,
    key: str,
    template: str,
    before: datetime,
    everyone: bool = False,
    **fields,
) -> int:
    """A notice to the coordinators on duty (all of them when nobody is, or `everyone` for news
    every coordinator needs); the key gets each one's id. How many were written."""
    coordinators = await on_duty(conn, organisation_id, everyone=everyone)
    return await _tell_each(conn, clock, coordinators, organisation_id, key, template, before, fields)


async def _tell_each(
    conn, clock: Clock, person_ids: list[int], organisation_id: int, key, template, before, fields
) -> int:
    told = 0
    for person_id in person_ids:
        told += await tell(
            conn,
            clock,
            person_id,
            key=f"{key}:{person_id}",
            template=template,
            organisation_id=organisation_id,
            before=before,
            **fields,
        )
    return told


async def on_duty(conn: asyncpg.Connection, organisation_id: int, *, everyone: bool = False) -> list[int]:
    """Whom an urgent notice goes to: the coordinators on duty (all of them when nobody is on duty,
    or when `everyone`)."""
    found = await rows(
        queries.coordinators_to_alert(conn, organisation_id=organisation_id, everyone=everyone)
    )
    return [row["id"] for row in found]


async def leave_at(conn: asyncpg.Connection, clock: Clock, key_prefix: str) -> datetime:
    """When the notices just written under these keys actually leave: now, or later for people in
    their quiet hours."""
    return await queries.texts_go_out(conn, key_prefix=key_prefix, now=clock.now())


async def cancel(conn: asyncpg.Connection, clock: Clock, key: str) -> None:
    """A notice still waiting is not sent after all (its news is out of date)."""
    await queries.cancel_pending(conn, key=key, now=clock.now())


async def take_back(conn: asyncpg.Connection, clock: Clock, key_prefix: str) -> int:
    """Notices under these keys that have not gone are not sent; how many had already gone (their
    readers need to hear the news has changed)."""
    return await queries.take_back(conn, key_prefix=key_prefix, now=clock.now())
