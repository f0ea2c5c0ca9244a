"""The one arq registry: which jobs the workers run, when the cron ones come due, and how long a
job may take. The jobs themselves are in jobs.py."""

from __future__ import annotations

from typing import Any

from arq import cron
from arq.worker import Worker

from services.config import WORKER_HEALTH_SUFFIX, Settings
from services.connections import redis_client, redis_settings
from services.notices.registry import CHANNELS
from workers.jobs import (
    apply_retention,
    check_in_outreach,
    continue_cover_requests,
    delete_dead_tokens,
    escalate_gaps,
    materialise_occurrences,
    plan_reminders,
    remind_partners,
    shutdown,
    startup,
    tell_partners,
)


class WorkerSettings:
    # On SIGTERM (a deploy, a scale-down) running jobs get this long to finish: a send under way
    # completes and records what Twilio said. What is still running after it is cancelled, and
    # the outbox's own states take over (an attempt begun is "sending", then "unknown" until
    # looked up at Twilio), so nothing goes twice and nothing is lost silently.
    job_completion_wait = 15
    functions = [
        delete_dead_tokens,
        materialise_occurrences,
        plan_reminders,
        continue_cover_requests,
        escalate_gaps,
        remind_partners,
        tell_partners,
        check_in_outreach,
        apply_retention,
    ]
    cron_jobs = [
        cron(delete_dead_tokens, minute={17}, unique=True),
        # Hourly, so a new week appears soon after midnight in every time zone.
        cron(materialise_occurrences, minute={5}, unique=True, run_at_startup=True),
        cron(plan_reminders, minute=set(range(0, 60, 5)), unique=True, run_at_startup=True),
        cron(continue_cover_requests, second={15}, unique=True),
        cron(escalate_gaps, minute=set(range(2, 60, 10)), unique=True),
        cron(remind_partners, minute={7, 37}, unique=True),
        cron(tell_partners, second={20}, unique=True),
        # Safety texts: every 10 seconds, and at once when a worker (re)starts.
        cron(check_in_outreach, second=set(range(0, 60, 10)), unique=True, run_at_startup=True),
        cron(apply_retention, minute={41}, unique=True),
    ]
    # Each channel brings the jobs that send its outbox rows.
    functions += [job for channel in CHANNELS.values() for job in channel.jobs]
    cron_jobs += [job for channel in CHANNELS.values() for job in channel.cron_jobs]
    on_startup = startup
    on_shutdown = shutdown
    health_check_interval = 15
    max_jobs = 50  # each a batch of messages mostly waiting on Twilio
    job_timeout = 300


def build_worker(settings: Settings, **overrides: Any) -> Worker:
    options: dict[str, Any] = {
        name: value for name, value in vars(WorkerSettings).items() if not name.startswith("_")
    }
    options.update(
        redis_settings=redis_settings(settings), queue_name=settings.queue_name, ctx={"settings": settings}
    )
    options.update(overrides)
    return Worker(**options)


async def worker_is_healthy(settings: Settings) -> bool:
    """arq keeps `<queue>:health-check` alive while a worker runs (it expires soon after)."""
    client = redis_client(settings)
    try:
        return bool(await client.exists(settings.queue_name + WORKER_HEALTH_SUFFIX))
    finally:
        await client.aclose()
