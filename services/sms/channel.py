"""SMS as a channel for notices: a proven, consenting number reaches her; Twilio carries it; the
worker's jobs claim the due SMS rows of the outbox and send them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import asyncpg
from arq import cron

from services.channel import Channel
from services.config import Settings
from services.db import rows
from services.sms import outbox
from services.sms.queries import queries
from services.sms.segments import count
from services.sms.twilio_client import Twilio

SEND_BATCH = 10


async def numbers(conn: asyncpg.Connection, person_ids: list[int]) -> dict[int, str]:
    """Their numbers, of those who agreed to texts and have not said STOP."""
    return {row["id"]: row["phone"] for row in await rows(queries.textable(conn, person_ids=person_ids))}


def segments(body: str) -> int:
    return count(body).segments


async def start(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    ctx.setdefault("twilio", Twilio(settings, timeout=settings.twilio_timeout_seconds))


async def stop(ctx: dict[str, Any]) -> None:
    if "twilio" in ctx:
        await ctx["twilio"].close()


async def dispatch_due(ctx: dict[str, Any]) -> int:
    """Claim every due text and hand each to a send job (several dispatchers may run at once)."""
    handed = 0
    while True:
        async with ctx["pool"].acquire() as conn:
            claimed = await outbox.claim_due(conn, ctx["clock"], limit=500)
        for first in range(0, len(claimed), SEND_BATCH):
            batch = claimed[first : first + SEND_BATCH]
            await ctx["redis"].enqueue_job(
                # One job per claim: arq drops a job whose id it has seen, so the id names this claim.
                "send_sms",
                [claimed.id for claimed in batch],
                _job_id=f"sms:{batch[0].id}:{batch[0].attempts}:{batch[0].queued_at.timestamp()}",
                _queue_name=ctx["settings"].queue_name,
            )
        handed += len(claimed)
        if len(claimed) < 500:
            return handed


async def send_sms(ctx: dict[str, Any], outbox_ids: list[int]) -> list[str]:
    """A handful of claimed rows, sent side by side (one job per message would spend more time in
    arq than in Twilio)."""
    settings: Settings = ctx["settings"]
    return await outbox.send_batch(ctx["pool"], ctx["clock"], ctx["twilio"], settings.public_base, outbox_ids)


async def sweep_outbox(ctx: dict[str, Any]) -> tuple[int, int]:
    async with ctx["pool"].acquire() as conn:
        settings: Settings = ctx["settings"]
        return await outbox.sweep(
            conn,
            ctx["clock"],
            timedelta(seconds=settings.sms_unknown_after_seconds),
            timedelta(seconds=settings.sms_requeue_after_seconds),
        )


async def reconcile_unknown(ctx: dict[str, Any]) -> dict[str, int]:
    return await outbox.reconcile(ctx["pool"], ctx["clock"], ctx["twilio"])


SMS = Channel(
    name="sms",
    addresses=numbers,
    size=segments,
    jobs=(dispatch_due, send_sms, sweep_outbox, reconcile_unknown),
    cron_jobs=(
        cron(dispatch_due, second=set(range(0, 60, 5)), unique=True),
        cron(sweep_outbox, second={30}, unique=True),
        cron(reconcile_unknown, second={45}, unique=True),
    ),
    start=start,
    stop=stop,
)
