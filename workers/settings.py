"""The one arq registry. arq runs a job at least once, so every job here is idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from arq import cron
from arq.connections import RedisSettings
from arq.worker import Worker

from services.access import service as access
from services.clock import SystemClock
from services.config import Settings
from services.db import create_pool
from services.logging import get_logger
from services.occurrences import service as occurrences

log = get_logger("volops.worker")
HEALTH_CHECK_SUFFIX = ":health-check"  # arq's own key name


async def startup(ctx: dict[str, Any]) -> None:
    settings: Settings = ctx["settings"]
    # The same pool factory the API uses, so jobs and routes see the database alike.
    ctx["pool"] = await create_pool(settings.database_url, max_size=5)
    ctx.setdefault("clock", SystemClock())
    log.info("worker_started", queue=settings.queue_name)


async def shutdown(ctx: dict[str, Any]) -> None:
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


class WorkerSettings:
    functions = [delete_dead_tokens, materialise_occurrences]
    cron_jobs = [
        cron(delete_dead_tokens, minute={17}, unique=True),
        # Hourly, so a new week appears soon after midnight in every time zone.
        cron(materialise_occurrences, minute={5}, unique=True, run_at_startup=True),
    ]
    on_startup = startup
    on_shutdown = shutdown
    health_check_interval = 15
    max_jobs = 10
    job_timeout = 300


def build_worker(settings: Settings, **overrides: Any) -> Worker:
    assert settings.redis_url
    options: dict[str, Any] = {
        name: value for name, value in vars(WorkerSettings).items() if not name.startswith("_")
    }
    options.update(
        redis_settings=RedisSettings.from_dsn(settings.redis_url),
        queue_name=settings.queue_name,
        ctx={"settings": settings},
    )
    options.update(overrides)
    return Worker(**options)


def worker_is_healthy(settings: Settings) -> bool:
    """arq keeps `<queue>:health-check` alive while a worker runs (it expires soon after)."""
    import redis

    assert settings.redis_url
    client = redis.Redis.from_url(settings.redis_url, socket_connect_timeout=5)
    try:
        return bool(client.exists(settings.queue_name + HEALTH_CHECK_SUFFIX))
    finally:
        client.close()
