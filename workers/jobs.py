"""The jobs the workers run: each opens connections from the same pool factory as the API and calls
the same services. arq runs a job at least once, so every job here is idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from services.access import service as access
from services.bookings import service as bookings
from services.checkins import service as checkins
from services.clock import process_clock
from services.config import Settings
from services.db import create_pool
from services.logging import get_logger
from services.occurrences import service as occurrences
from services.privacy import retention
from services.rota import cover, escalation
from services.sms import outbox, reminders
from services.sms.twilio_client import Twilio

log = get_logger("volops.worker")
SEND_BATCH = 10


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    # The same pool factory the API uses, so jobs and routes see the database alike.
    ctx["pool"] = await create_pool(
        settings.database_url, max_size=10, via="job", pool_mode=settings.database_pool_mode
    )
    ctx.setdefault("clock", process_clock(settings.clock_start))
    ctx.setdefault("twilio", Twilio(settings, timeout=settings.twilio_timeout_seconds))
    log.info("worker_started", queue=settings.queue_name)


async def shutdown(ctx: dict[str, Any]) -> None:
    if "twilio" in ctx:
        await ctx["twilio"].close()
    pool = ctx.get("pool")
    if pool is not None:
        await pool.close()


async def delete_dead_tokens(ctx: dict[str, Any]) -> int:
    """Delete tokens revoked or expired longer ago than the retention; running twice is harmless."""
    settings: Settings = ctx["settings"]
    async with ctx["pool"].acquire() as conn:
        deleted = await access.delete_dead_tokens(
            conn, ctx["clock"], timedelta(days=settings.token_retention_days)
        )
    log.info("dead_tokens_deleted", count=deleted)
    return deleted


async def materialise_occurrences(ctx: dict[str, Any]) -> int:
    """Roll every series forward to its organisation's horizon; a second run adds nothing."""
    async with ctx["pool"].acquire() as conn, conn.transaction():
        added = await occurrences.materialise(conn, ctx["clock"])
    log.info("occurrences_materialised", count=added)
    return added


async def plan_reminders(ctx: dict[str, Any]) -> int:
    """Safety net: reminders for every current assignment of the coming days (planning twice adds nothing)."""
    async with ctx["pool"].acquire() as conn, conn.transaction():
        return await reminders.plan_upcoming(conn, ctx["clock"])


async def dispatch_due(ctx: dict[str, Any]) -> int:
    """Claim every due message and hand each to a send job (several dispatchers may run at once)."""
    handed = 0
    while True:
        async with ctx["pool"].acquire() as conn:
            claimed = await outbox.claim_due(conn, ctx["clock"], limit=500)
        for first in range(0, len(claimed), SEND_BATCH):
            batch = claimed[first : first + SEND_BATCH]
            await ctx["redis"].enqueue_job(
                # One job per claim: arq drops a job whose id it has seen, so the id names this claim.
                "send_sms",
                [row["id"] for row in batch],
                _job_id=f"sms:{batch[0]['id']}:{batch[0]['attempts']}:{batch[0]['queued_at'].timestamp()}",
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


async def continue_cover_requests(ctx: dict[str, Any]) -> int:
    """Requests nobody took in time ask the next candidates (or close when nobody is left)."""
    async with ctx["pool"].acquire() as conn:
        return await cover.continue_expired(conn, ctx["clock"], ctx["settings"].public_base)


async def escalate_gaps(ctx: dict[str, Any]) -> dict[str, int]:
    """Gaps within 48 h get a cover request; still open 12 h before, the coordinators are told."""
    async with ctx["pool"].acquire() as conn:
        return await escalation.escalate(conn, ctx["clock"], ctx["settings"].public_base)


async def remind_partners(ctx: dict[str, Any]) -> dict[str, int]:
    """Room requests without an answer: one reminder, later the borrowing coordinators are told."""
    async with ctx["pool"].acquire() as conn:
        return await bookings.remind(conn, ctx["clock"], ctx["settings"].public_base)


async def tell_partners(ctx: dict[str, Any]) -> int:
    """A booked date moved or was cancelled: the room's contacts hear of it."""
    async with ctx["pool"].acquire() as conn:
        return await bookings.tell_partners(conn, ctx["clock"], ctx["settings"].public_base)


async def check_in_outreach(ctx: dict[str, Any]) -> dict[str, int]:
    """Outreach visits that ended ask their pair to check in; where nobody has, coordinators are
    alerted. Each step is a row written with its texts, so a second run (or worker) adds nothing."""
    async with ctx["pool"].acquire() as conn:
        return {
            "asked": await checkins.ask_ended_visits(conn, ctx["clock"]),
            "alerted": await checkins.alert_unanswered(conn, ctx["clock"]),
        }


async def apply_retention(ctx: dict[str, Any]) -> dict[str, int]:
    """Texts, the trail and inactive volunteers past their organisation's times; once each."""
    async with ctx["pool"].acquire() as conn:
        kept = await retention.apply(conn, ctx["clock"])
    log.info("retention_applied", **vars(kept))
    return vars(kept)
