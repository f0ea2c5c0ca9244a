"""The crash test: 1,000 messages due at once, two real worker processes, one of them killed with
SIGKILL again and again while it sends. Afterwards no message went out twice (counted at the fake
Twilio), and none is silently lost: every one is sent, or, where a killed attempt left its fate
unknown and Twilio has no record of it, shown to the coordinators as unknown. Nothing is resent by
guessing."""

import asyncio
import collections
import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest
from arq import create_pool
from arq.connections import RedisSettings

from tests.support.processes import VOLOPS

MESSAGES = 1000
KILLS = 5
FINAL = ("accepted", "sent", "delivered")


@pytest.mark.parametrize("stop", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "sigterm"])
async def test_a_worker_stopped_while_sending_never_sends_twice(conn, sms_stack, capsys, stop):
    """SIGKILL: the outbox's states keep every message once or shown as unknown. SIGTERM (a
    deploy): the worker finishes its sends first (arq's job_completion_wait), so none is unknown."""
    now = sms_stack.clock.now()
    await conn.executemany(
        "INSERT INTO outbox (key, kind, to_address, body, segments, due_at) VALUES ($1, 'message', $2, $3, 1, $4)",
        [
            (
                f"crash:{n}",
                f"+4670174{600 + n % 90:04d}",
                f"Crash test message {n}",
                now - timedelta(seconds=1),
            )
            for n in range(MESSAGES)
        ],
    )
    env = sms_stack.env(
        VOLOPS_TWILIO_TIMEOUT_SECONDS="3",
        VOLOPS_SMS_UNKNOWN_AFTER_SECONDS="5",
        VOLOPS_SMS_REQUEUE_AFTER_SECONDS="3",
    )

    def worker() -> subprocess.Popen:
        return subprocess.Popen(
            [*VOLOPS, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    steady, victim = worker(), worker()
    redis = await create_pool(RedisSettings.from_dsn(sms_stack.settings.redis_url))
    kills, most_unknown, started = 0, 0, time.monotonic()
    try:
        while time.monotonic() - started < 150:
            await asyncio.sleep(0.7)
            states = dict(await conn.fetch("SELECT status, count(*) FROM outbox GROUP BY status"))
            most_unknown = max(most_unknown, states.get("unknown", 0) + states.get("sending", 0))
            if kills < KILLS and states.get("pending", 0) + states.get("queued", 0) < MESSAGES:
                os.kill(victim.pid, stop)  # mid-send: sends are under way by now
                victim.wait()
                kills += 1
                victim = worker()
            for job in ("dispatch_due", "sweep_outbox", "reconcile_unknown"):
                await redis.enqueue_job(job, _queue_name=sms_stack.settings.queue_name)
            if kills == KILLS and await settled(conn):
                break
    finally:
        await redis.aclose()
        for process in (steady, victim):
            process.terminate()
            process.wait(timeout=30)

    states = dict(await conn.fetch("SELECT status, count(*) FROM outbox GROUP BY status"))
    attempts = dict(await conn.fetch("SELECT attempts, count(*) FROM outbox GROUP BY attempts"))
    at_fake = collections.Counter(
        m["body"] for m in sms_stack.messages() if m["body"].startswith("Crash test")
    )
    unknown = {r["body"] for r in await conn.fetch("SELECT body FROM outbox WHERE status = 'unknown'")}
    missing = {f"Crash test message {n}" for n in range(MESSAGES)} - set(at_fake)
    with capsys.disabled():
        print(
            f"\ncrash test: {MESSAGES} messages, {kills} x {stop.name}, {time.monotonic() - started:.1f} s;"
            f" final states {states} (unknown: {len(unknown)}, not at the fake: {len(missing)});"
            f" attempts per row {attempts}; at most {most_unknown} rows sending/unknown at once;"
            f" creates at the fake {sms_stack.creates()}, distinct bodies {len(at_fake)}, most copies of one {max(at_fake.values())}"
        )
    assert kills == KILLS and await settled(conn), states
    assert max(at_fake.values()) == 1  # never twice
    assert missing <= unknown  # never silently lost: what did not go out is shown as unknown
    assert sum(states.get(s, 0) for s in FINAL) + len(unknown) == MESSAGES, states
    if stop == signal.SIGTERM:
        assert not unknown and not missing  # a stopped worker finished what it had begun


async def settled(conn) -> bool:
    """Nothing waits or is being sent, and every unknown has been looked up at Twilio."""
    return not await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE status IN ('pending', 'queued', 'sending')"
        " OR (status = 'unknown' AND error_message NOT LIKE 'Twilio has no record%')"
    )
