"""A real SMS stack for tests: the fake Twilio and a `volops serve` as separate processes (so the
fake can call our webhooks), and `volops worker --burst` runs."""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import msgspec
from arq import create_pool
from arq.connections import RedisSettings

from services.clock import FixedClock
from services.config import Settings
from services.inbox import service as inbox
from tests.support.processes import VOLOPS, cli_env, free_port, wait_until_up


@dataclass
class SmsStack:
    settings: Settings
    clock: FixedClock  # the test's
    fake: str
    api: str
    began: float = field(default_factory=time.monotonic)

    def now(self) -> datetime:
        """Where the processes' clocks stand: the test's now, run on since the stack started (so
        a worker started later keeps time with the API; moving the test's clock moves it too)."""
        return self.clock.now() + timedelta(seconds=time.monotonic() - self.began)

    def env(self, **extra: str) -> dict[str, str]:
        return cli_env(
            self.settings,
            self.now(),
            **(
                {
                    "VOLOPS_TWILIO_API_BASE": self.fake,
                    "VOLOPS_PUBLIC_URL": self.api,
                    "VOLOPS_LOG_LEVEL": "WARNING",
                }
                | extra
            ),
        )

    def messages(self) -> list[dict]:
        return httpx.get(f"{self.fake}/_fake/messages").json()["messages"]

    def creates(self) -> int:
        return httpx.get(f"{self.fake}/_fake/messages").json()["creates"]

    def fault(self, to: str, fault: str, times: int = 1, seconds: float = 3.0) -> None:
        httpx.post(
            f"{self.fake}/_fake/faults", json={"to": to, "fault": fault, "times": times, "seconds": seconds}
        )

    def inbound(self, from_: str, body: str) -> dict:
        return httpx.post(f"{self.fake}/_fake/inbound", json={"from": from_, "body": body}, timeout=20).json()

    async def run_jobs(self, *jobs: str, **env: str) -> subprocess.CompletedProcess:
        redis = await create_pool(RedisSettings.from_dsn(self.settings.redis_url))
        try:
            for job in jobs:
                await redis.enqueue_job(job, _queue_name=self.settings.queue_name)
        finally:
            await redis.aclose()
        run = subprocess.run(
            [*VOLOPS, "worker", "--burst"], env=self.env(**env), capture_output=True, text=True, timeout=120
        )
        assert run.returncode == 0, run.stderr
        return run

    async def send_when_due(self, conn) -> subprocess.CompletedProcess:
        """Run the dispatcher when the waiting texts are due, the test's clock moved there first:
        at 08:00 when the test stands in the quiet hours, at once otherwise."""
        due = await conn.fetchval("SELECT max(due_at) FROM outbox WHERE status = 'pending'")
        if due is not None and due > self.now():
            self.clock.advance(due - self.now())
        return await self.run_jobs("dispatch_due")


def start(settings: Settings, clock: FixedClock, stack) -> SmsStack:
    fake_port, api_port = free_port(), free_port()
    sms = SmsStack(
        msgspec.structs.replace(
            settings,
            twilio_api_base=f"http://127.0.0.1:{fake_port}",
            public_url=f"http://127.0.0.1:{api_port}",
        ),
        clock,
        f"http://127.0.0.1:{fake_port}",
        f"http://127.0.0.1:{api_port}",
    )
    fake = subprocess.Popen(
        [*VOLOPS, "fake-twilio", "--port", str(fake_port)], env=sms.env(), stderr=subprocess.DEVNULL
    )
    api = subprocess.Popen(
        [*VOLOPS, "serve"], env=sms.env(VOLOPS_PORT=str(api_port)), stderr=subprocess.DEVNULL
    )
    for process in (fake, api):
        stack.callback(process.wait, 20)
        stack.callback(process.terminate)
    wait_until_up(f"{sms.fake}/_fake/messages", fake)
    wait_until_up(f"{sms.api}/health", api)
    return sms


async def reply(conn, clock, phone: str, body: str, sid: str) -> str:
    """An SMS from this phone, answered as the webhook answers it (TwiML)."""
    async with conn.transaction():
        return await inbox.answer(
            conn, clock, sid=sid, from_phone=phone, body=body, public_base="https://volops.test"
        )


async def put_in_outbox(
    conn,
    key: str,
    to: str,
    body: str,
    due_at: datetime,
    *,
    person_id: int | None = None,
    organisation_id: int | None = None,
    kind: str = "message",
) -> int:
    """A text waiting in the outbox as the notices context writes one (its row only, for tests of
    the sending side)."""
    return await conn.fetchval(
        "INSERT INTO outbox (key, channel, kind, organisation_id, person_id, to_address, body, segments,"
        " due_at, created_at, updated_at) VALUES ($1, 'sms', $2, $3, $4, $5, $6, 1, $7, $7, $7) RETURNING id",
        key,
        kind,
        organisation_id,
        person_id,
        to,
        body,
        due_at,
    )
