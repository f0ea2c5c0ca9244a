"""Sending the outbox: never lost, never twice.

pending → queued (a dispatcher claimed it) → sending (an attempt began) → accepted → sent →
delivered / undelivered, or failed. A row is only attempted from `queued`, in a committed step,
so a job that arq runs again after a crash finds `sending` and marks the row `unknown` instead of
sending again. An unknown row is resolved from Twilio's status callback or by looking the message up
at Twilio. It is never sent again by itself: Twilio has no idempotency key, and a create that timed
out at our client can still land at Twilio long after (seen under load: later than a 45 s resend
wait), so "Twilio has no record yet" never proves "not sent". An unknown that stays unfound is
shown to the coordinators (`sms/problems`), who can send it again knowingly (`send_again`).
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import asyncpg
import msgspec

from schemas.sms import SmsProblem
from services.clock import Clock
from services.db import as_struct, rows
from services.logging import get_logger
from services.sms.queries import queries
from services.sms.twilio_client import Message, NotSent, Refused, Twilio, Uncertain

log = get_logger("volops.sms")
# Twilio lists a message at once; a day of look-ups covers any create still in flight.
LOOK_UP_FOR = timedelta(days=1)
BACKOFF = [timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10), timedelta(minutes=30)]
STATUS = {
    "queued": "accepted",
    "accepted": "accepted",
    "sending": "accepted",
    "sent": "sent",
    "delivered": "delivered",
    "undelivered": "undelivered",
    "failed": "failed",
}


def callback_url(public_base: str, outbox_id: int) -> str:
    return f"{public_base}/webhooks/twilio/status?outbox_id={outbox_id}"


class Claimed(msgspec.Struct, frozen=True):
    """A due row a dispatcher took, and what names this claim (a row claimed again is a new one)."""

    id: int
    attempts: int
    queued_at: datetime


async def claim_due(conn: asyncpg.Connection, clock: Clock, limit: int = 500) -> list[Claimed]:
    return [
        as_struct(Claimed)(row) for row in await rows(queries.claim_due(conn, now=clock.now(), limit=limit))
    ]


async def send_batch(
    pool: asyncpg.Pool, clock: Clock, twilio: Twilio, public_base: str, ids: list[int]
) -> list[str]:
    """One attempt at each of a few claimed rows, side by side; safe to run any number of times.
    Each attempt begins (a committed update) only when it has its turn to send, and only from
    `queued`: a row another run already began (perhaps one that died mid-send: the sweeper marks
    those unknown once no run can still be waiting on Twilio) is skipped."""
    results = await asyncio.gather(*(_in_turn(pool, clock, twilio, public_base, i) for i in ids))
    taken = [(outbox_id, m) for outbox_id, m in zip(ids, results, strict=True) if isinstance(m, Message)]
    if taken:
        async with pool.acquire() as conn:
            await record_accepted(conn, clock, taken)
    return ["accepted" if isinstance(result, Message) else result for result in results]


async def _in_turn(
    pool: asyncpg.Pool, clock: Clock, twilio: Twilio, public_base: str, outbox_id: int
) -> Message | str:
    async with twilio.send_turns:
        async with pool.acquire() as conn:
            begun = await rows(queries.begin_attempts(conn, ids=[outbox_id], now=clock.now()))
        return await _attempt(pool, clock, twilio, public_base, begun[0]) if begun else "skipped"


async def record_accepted(conn: asyncpg.Connection, clock: Clock, taken: list[tuple[int, Message]]) -> None:
    await queries.accepted(
        conn,
        ids=[outbox_id for outbox_id, _ in taken],
        sids=[message.sid for _, message in taken],
        statuses=[STATUS.get(message.status, "accepted") for _, message in taken],
        now=clock.now(),
    )


async def _attempt(
    pool: asyncpg.Pool, clock: Clock, twilio: Twilio, public_base: str, row: asyncpg.Record
) -> Message | str:
    """Twilio's message when it took it; otherwise what became of the row, recorded here."""
    outbox_id = row["id"]
    try:
        return await twilio.create(row["to_address"], row["body"], callback_url(public_base, outbox_id))
    except NotSent as exc:
        delay = BACKOFF[min(row["attempts"] - 1, len(BACKOFF) - 1)]
        async with pool.acquire() as conn:
            await queries.retry_later(
                conn, id=outbox_id, error=str(exc), next_attempt_at=clock.now() + delay, now=clock.now()
            )
        return "retry"
    except Refused as exc:
        async with pool.acquire() as conn, conn.transaction():
            await queries.failed(conn, id=outbox_id, code=str(exc.code), error=exc.message, now=clock.now())
            if exc.code == 21610 and row["person_id"]:  # the person replied STOP to Twilio itself
                await opt_out(conn, clock, row["person_id"])
        log.warning("sms_failed", outbox_id=outbox_id, code=exc.code)
        return "failed"
    except Uncertain as exc:
        async with pool.acquire() as conn:
            await queries.uncertain(conn, id=outbox_id, error=str(exc), now=clock.now())
        log.warning("sms_unknown", outbox_id=outbox_id, reason=str(exc))
        return "unknown"


async def sweep(
    conn: asyncpg.Connection, clock: Clock, unknown_after: timedelta, requeue_after: timedelta
) -> tuple[int, int]:
    now = clock.now()
    unknown = await queries.stale_to_unknown(conn, before=now - unknown_after, now=now)
    requeued = await queries.stale_queued_to_pending(conn, before=now - requeue_after, now=now)
    return unknown, requeued


async def reconcile(pool: asyncpg.Pool, clock: Clock, twilio: Twilio, limit: int = 200) -> dict[str, int]:
    """Settle unknown rows by asking Twilio (for a day after their attempt); never resend."""
    outcome = {"found": 0, "not_found": 0}
    async with pool.acquire() as conn:
        unknown = await rows(queries.unknowns(conn, since=clock.now() - LOOK_UP_FOR, limit=limit))
    for row in unknown:
        started: datetime = row["send_started_at"] or clock.now()
        if row["provider_id"]:
            found = [await twilio.fetch(row["provider_id"])]
        else:
            candidates = await twilio.sent_to(row["to_address"], started - timedelta(days=1))
            found = [
                m
                for m in candidates
                if m.body == row["body"]
                and (m.date_created is None or m.date_created >= started - timedelta(minutes=1))
            ]
        async with pool.acquire() as conn:
            # A message another row already owns is not this one (the same text can go twice).
            found = [m for m in found if await queries.outbox_id_by_sid(conn, sid=m.sid) in (None, row["id"])]
            if found:
                await record_accepted(conn, clock, [(row["id"], found[0])])
                outcome["found"] += 1
            else:
                await queries.not_found_yet(conn, id=row["id"], now=clock.now())
                outcome["not_found"] += 1
    return outcome


async def problems(
    conn: asyncpg.Connection, organisation_id: int, after_id: int, limit: int
) -> list[SmsProblem]:
    """Messages a coordinator should know about: failed, not delivered, or of unknown fate."""
    found = await rows(
        queries.problems(conn, organisation_id=organisation_id, after_id=after_id, limit=limit)
    )
    return [as_struct(SmsProblem)(row) for row in found]


async def send_again(conn: asyncpg.Connection, clock: Clock, organisation_id: int, outbox_id: int) -> bool:
    """A coordinator's decision that an unknown or undelivered message should go again (they
    accept that it may arrive twice). False when there is no such message in that state."""
    again = await queries.send_again(conn, id=outbox_id, organisation_id=organisation_id, now=clock.now())
    return again is not None


async def status_callback(
    conn: asyncpg.Connection,
    clock: Clock,
    outbox_id: int | None,
    sid: str,
    status: str,
    error_code: str | None,
) -> None:
    if outbox_id is None:
        outbox_id = await queries.outbox_id_by_sid(conn, sid=sid)
    if outbox_id is None:
        return
    await queries.status_from_twilio(
        conn,
        id=outbox_id,
        sid=sid,
        status=STATUS.get(status, "accepted"),
        error_code=error_code,
        now=clock.now(),
    )


async def opt_out(conn: asyncpg.Connection, clock: Clock, person_id: int) -> None:
    """No more texts to this person (STOP, to us or to Twilio): what is waiting is cancelled too."""
    async with conn.transaction():
        await queries.opted_out(conn, person_id=person_id, now=clock.now())
        await queries.cancel_pending_for_person(conn, person_id=person_id, now=clock.now())


async def opt_in(conn: asyncpg.Connection, person_id: int) -> None:
    await queries.opted_in(conn, person_id=person_id)
