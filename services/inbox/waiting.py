"""What volunteers say that the service cannot act on as an answer ("Hej, jag är sjuk idag", "Ja,
men jag blir sen"): it waits in the board's inbox with who sent it, when, and her next shift, until
a coordinator has dealt with it. A coordinator answers by SMS from the page (through the outbox,
so quiet hours and delivery are as for every text) and sees both sides of the conversation. A
text that arrives within 12 hours of the sender's next shift is texted to the coordinators on duty
at once."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.inbox.queries import queries
from services.notices import service as notices
from services.problems import NotFound, Unprocessable, refusals
from services.words import N_

REFUSALS = refusals(
    {
        "text-not-found": N_("There is no such text here."),
        "cannot-be-texted": N_("She cannot be texted: she said STOP, or has no number we may text."),
    }
)
SOON = timedelta(hours=12)  # a text this close to her next shift cannot wait for someone to look
THREAD_SINCE = timedelta(days=60)


class WaitingText(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    person_id: int
    display_name: str
    received_at: datetime
    body: str
    next_title: str | None  # her next shift here, if she has one
    next_starts_at: datetime | None
    next_time_zone: str | None


class ThreadText(msgspec.Struct, frozen=True, kw_only=True):
    direction: str  # "in" from her, "out" to her
    id: int
    at: datetime
    body: str
    status: str  # an outgoing text's: pending (waits for due_at), sent, delivered, failed…
    waiting: bool  # hers, not dealt with yet
    due_at: datetime | None


class Conversation(msgspec.Struct, frozen=True, kw_only=True):
    person_id: int
    display_name: str
    texts: list[ThreadText]
    waiting: int  # of hers, not dealt with yet


async def waiting(conn: asyncpg.Connection, clock: Clock, access: Access) -> list[WaitingText]:
    """The organisation's texts waiting for a coordinator, newest first."""
    access.require_coordinator("read texts from volunteers")
    found = await rows(queries.waiting(conn, organisation_id=access.organisation_id, now=clock.now()))
    return [as_struct(WaitingText)(row) for row in found]


async def how_many_waiting(conn: asyncpg.Connection, access: Access) -> int:
    return (
        await queries.how_many_waiting(conn, organisation_id=access.organisation_id)
        if access.is_coordinator
        else 0
    )


async def _text(conn: asyncpg.Connection, access: Access, text_id: int) -> asyncpg.Record:
    access.require_coordinator("read texts from volunteers")
    found = await queries.text_here(conn, organisation_id=access.organisation_id, id=text_id)
    if found is None:
        raise NotFound(f"There is no text {text_id} here.", code="text-not-found")
    return found


async def conversation(conn: asyncpg.Connection, clock: Clock, access: Access, text_id: int) -> Conversation:
    """Both sides of the conversation the text belongs to: hers and ours, the last 60 days."""
    text = await _text(conn, access, text_id)
    found = await rows(
        queries.thread(
            conn,
            organisation_id=access.organisation_id,
            person_id=text["person_id"],
            since=clock.now() - THREAD_SINCE,
            now=clock.now(),
        )
    )
    texts = [as_struct(ThreadText)(row) for row in found]
    return Conversation(
        person_id=text["person_id"],
        display_name=text["display_name"],
        texts=texts,
        waiting=sum(t.waiting for t in texts),
    )


async def answer(conn: asyncpg.Connection, clock: Clock, access: Access, text_id: int, words: str) -> None:
    """A coordinator's answer, by SMS, in her own words; the same words sent twice go once."""
    text = await _text(conn, access, text_id)
    person = await notices.recipient(conn, text["person_id"])
    words = words.strip()
    if not words:
        raise Unprocessable("words: write what to send.", code="bad-form")
    if person is None or notices.channel_for(person) is None:
        raise Unprocessable("She cannot be texted.", code="cannot-be-texted")
    # The same words to the same text are one notice: a second tap writes nothing.
    key = f"inbox-answer:{text_id}:{hashlib.sha256(words.encode()).hexdigest()[:16]}"
    await notices.write(
        conn,
        clock,
        person,
        words,
        key=key,
        kind="reply",
        organisation_id=access.organisation_id,
        before=clock.now() + timedelta(days=1),
        answers_reply=text_id,
    )


async def mark_done(conn: asyncpg.Connection, clock: Clock, access: Access, text_id: int) -> int:
    """Everything she said that waited is dealt with; how many texts that was."""
    text = await _text(conn, access, text_id)
    return await queries.mark_done(
        conn,
        organisation_id=access.organisation_id,
        person_id=text["person_id"],
        by=access.person_id,
        now=clock.now(),
    )


async def tell_on_duty_if_soon(
    conn: asyncpg.Connection,
    clock: Clock,
    text_id: int,
    person_id: int,
    organisation_id: int,
    first_name: str,
    body: str,
) -> int:
    """A text within 12 hours of her next shift goes to the coordinators on duty at once (all of
    them when nobody is on duty); how many were told."""
    now = clock.now()
    starts = await queries.next_start(conn, organisation_id=organisation_id, person_id=person_id, now=now)
    if starts is None or starts - now > SOON:
        return 0
    return await notices.tell_on_duty(
        conn,
        clock,
        organisation_id,
        key=f"inbox-alert:{text_id}",
        template="inbox_alert",
        before=now,  # never held for quiet hours: her shift is close
        who=first_name,
        what=body,
        moment=starts,
    )


async def texts_since(conn: asyncpg.Connection, access: Access, since: datetime) -> int:
    """How many texts for a coordinator came in after `since`."""
    access.require_coordinator("read texts from volunteers")
    return await queries.texts_since(conn, organisation_id=access.organisation_id, since=since)
