"""Benchmark: 10,000 reminders due in the same minute (goal: all handed to Twilio within 60 s,
p99 lateness <= 30 s). Runs the fake Twilio, an API process (for status callbacks) and two
`volops worker` processes against a throwaway database; once they are ready, 10,000 reminders are
planned, all due 5 s later. Prints throughput and lateness (the fake's receive time minus each
message's due time). Baseline in the same run: the fake's
own capacity, measured by creating 1,000 messages straight at it from one client.

    .venv/bin/python bench/sms.py [--messages 10000] [--workers 2]
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import arguments, bench_servers  # noqa: E402
from infra import embedded  # noqa: E402
from infra.supervisor import wait_ready  # noqa: E402
from services.config import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
VOLOPS = [sys.executable, "-m", "services.cli"]


def start(stack: ExitStack, command: list[str], env: dict[str, str]) -> subprocess.Popen:
    """A volops process, stopped and waited for however the benchmark ends (even in its baseline)."""
    process = subprocess.Popen([*VOLOPS, *command], env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    stack.callback(process.wait, 30)
    stack.callback(process.terminate)
    return process


async def fake_capacity(fake: str, settings: Settings, count: int = 1000, at_once: int = 20) -> float:
    """Creates per second the fake takes from one client keeping `at_once` in flight (no callbacks)."""
    url = f"{fake}/2010-04-01/Accounts/{settings.twilio_account_sid}/Messages.json"
    form = {"To": "+46701740699", "From": settings.twilio_from_number, "Body": "baseline"}
    async with httpx.AsyncClient(
        auth=(settings.twilio_account_sid, settings.twilio_auth_token),
        limits=httpx.Limits(max_connections=at_once),
        timeout=httpx.Timeout(120, pool=None),  # a loaded machine is slow, never a failure here
    ) as client:
        remaining = iter(range(count))

        async def sender() -> None:
            for _ in remaining:
                (await client.post(url, data=form)).raise_for_status()

        started = time.perf_counter()
        await asyncio.gather(*(sender() for _ in range(at_once)))
        return count / (time.perf_counter() - started)


def main() -> None:
    args = arguments(__doc__, messages=10_000, workers=2)
    settings = Settings()
    with ExitStack() as stack:
        database_url, redis_url = bench_servers(stack)
        fake_port, api_port = embedded.free_port(), embedded.free_port()
        fake, api = f"http://127.0.0.1:{fake_port}", f"http://127.0.0.1:{api_port}"
        env = {
            **os.environ,
            "VOLOPS_DATABASE_URL": database_url,
            "VOLOPS_REDIS_URL": redis_url,
            "VOLOPS_TWILIO_API_BASE": fake,
            "VOLOPS_PUBLIC_URL": api,
            "VOLOPS_PORT": str(api_port),
            "VOLOPS_QUEUE_NAME": f"bench-{uuid.uuid4().hex[:8]}",
            "VOLOPS_LOG_LEVEL": "WARNING",
        }

        async def plan_reminders() -> datetime:
            """The reminders, planned ahead as they are, all due a few seconds from now."""
            conn = await asyncpg.connect(database_url)
            due = datetime.now(UTC).replace(microsecond=0) + timedelta(seconds=5)
            await conn.copy_records_to_table(
                "outbox",
                columns=["key", "kind", "to_address", "body", "segments", "due_at"],
                records=[
                    (f"bench:{n}", "reminder", f"+4670174{600 + n % 90:04d}", f"Bench reminder {n}", 1, due)
                    for n in range(args.messages)
                ],
            )
            await conn.close()
            return due

        start(stack, ["fake-twilio", "--port", str(fake_port)], env)
        wait_ready(f"{fake}/_fake/messages", [], 120)
        baseline = asyncio.run(fake_capacity(fake, settings))
        start(stack, ["serve"], env)
        for _ in range(args.workers):
            start(stack, ["worker"], env)
        wait_ready(f"{api}/ready", [], 120)  # the service runs, as it does when reminders come due
        due = asyncio.run(plan_reminders())
        time.sleep(max(0.0, (due - datetime.now(UTC)).total_seconds()))
        started = time.monotonic()
        handed = 0
        baseline_creates = httpx.get(f"{fake}/_fake/stats").json()["creates"]
        while time.monotonic() - started < 180:
            time.sleep(0.5)
            handed = httpx.get(f"{fake}/_fake/stats", timeout=30).json()["creates"] - baseline_creates
            if handed >= args.messages:
                break
            print(f"  {time.monotonic() - started:5.1f} s: {handed}", file=sys.stderr, end="\r")
        elapsed = time.monotonic() - started
        messages = httpx.get(f"{fake}/_fake/messages", timeout=60).json()["messages"]
        lateness = sorted(
            (datetime.fromisoformat(m["created"]) - due).total_seconds()
            for m in messages
            if m["body"].startswith("Bench reminder")
        )
        copies = len(lateness) - len({m["body"] for m in messages if m["body"].startswith("Bench reminder")})
        p99 = lateness[int(len(lateness) * 0.99) - 1] if lateness else float("nan")
        print(f"messages due at {due:%H:%M:%S}: {args.messages}, workers: {args.workers}")
        print(
            f"handed to the fake Twilio: {handed} in {elapsed:.1f} s ({handed / elapsed:.0f}/s)"
            f"   goal all within 60 s: {'met' if handed >= args.messages and elapsed <= 60 else 'MISSED'}"
        )
        print(
            f"lateness after due: median {statistics.median(lateness):.1f} s, p99 {p99:.1f} s, max {lateness[-1]:.1f} s"
            f"   goal p99 <= 30 s: {'met' if p99 <= 30 else 'MISSED'}"
        )
        print(
            f"baseline: the fake alone takes {baseline:.0f} creates/s from one client; ratio {handed / elapsed / baseline:.2f}"
        )
        print(f"duplicates: {copies}")


if __name__ == "__main__":
    main()
