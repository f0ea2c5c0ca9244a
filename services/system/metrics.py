"""Operators' figures on /metrics, read when Prometheus asks: the outbox by state, how late
reminders go out, arq's jobs waiting and running, this process's database pool, and its feed
cache's hits and misses."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import timedelta

from arq.constants import in_progress_key_prefix
from litestar.datastructures import State
from prometheus_client import Gauge

from services.db import rows
from services.system.queries import queries

OUTBOX = Gauge("volops_outbox_messages", "SMS outbox rows by state", ["status"])
LATENESS = Gauge(
    "volops_reminder_lateness_seconds",
    "Reminders sent in the last hour: seconds after due, by quantile",
    ["quantile"],
)
REMINDERS_SENT = Gauge("volops_reminders_sent_last_hour", "Reminders whose send began in the last hour")
JOBS_QUEUED = Gauge("volops_jobs_queued", "arq jobs waiting to run, by function", ["function"])
JOBS_RUNNING = Gauge("volops_jobs_running", "arq jobs being run now, by any worker")
POOL = Gauge("volops_db_pool_connections", "This API process's PostgreSQL connections", ["state"])
FEED_CACHE = Gauge(
    "volops_feed_cache_polls",
    "Feed polls since start: answered from this process's cache, or rendered",
    ["result"],
)


async def refresh(state: State) -> None:
    """Read the figures now (a scrape every 15-60 s costs two small queries and a Redis scan)."""
    async with state.pool.acquire() as conn:
        counts = {r["status"]: r["n"] for r in await rows(queries.outbox_by_state(conn))}
        late = await queries.reminder_lateness(conn, since=state.clock.now() - timedelta(hours=1))
    for status in (
        "pending",
        "queued",
        "sending",
        "unknown",
        "accepted",
        "sent",
        "delivered",
        "undelivered",
        "failed",
        "cancelled",
    ):
        OUTBOX.labels(status).set(counts.get(status, 0))
    REMINDERS_SENT.set(late["n"])
    LATENESS.labels("0.5").set(late["p50"])
    LATENESS.labels("0.99").set(late["p99"])
    waiting = Tally(
        job.function for job in await state.redis.queued_jobs(queue_name=state.settings.queue_name)
    )
    JOBS_QUEUED.clear()
    for function, n in waiting.items():
        JOBS_QUEUED.labels(function).set(n)
    JOBS_RUNNING.set(len([k async for k in state.redis.scan_iter(match=in_progress_key_prefix + "*")]))
    FEED_CACHE.labels("hit").set(state.feed_cache.hits)
    FEED_CACHE.labels("miss").set(state.feed_cache.misses)
    POOL.labels("in_use").set(state.pool.get_size() - state.pool.get_idle_size())
    POOL.labels("idle").set(state.pool.get_idle_size())
