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
from services.notices import reminders
from services.notices.registry import CHANNELS
from services.occurrences import service as occurrences
from services.privacy import retention
from services.rota import cover, escalation

log = get_logger("volops.worker")


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    # The same pool factory the API uses, so jobs and routes see the database alike.
    ctx["pool"] = await create_pool(
        settings.database_url, max_size=10, via="job", pool_mode=settings.database_pool_mode
    )
    ctx.setdefault("clock", process_clock(settings.clock_start))
    for channel in CHANNELS.values():
        await channel.start(ctx)
    log.info("worker_started", queue=settings.queue_name)


async def shutdown(ctx: dict[str, Any]) -> None:
    for channel in CHANNELS.values():
        await channel.stop(ctx)
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
