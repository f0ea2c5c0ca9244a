"""Real volops processes for the tests: a free port, a wait until one answers, a running API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import httpx

from infra.embedded import free_port
from services.config import Settings
from tests.support.now import SUITE_NOW

VOLOPS = [sys.executable, "-m", "services.cli"]


def cli_env(settings: Settings, now: datetime = SUITE_NOW, **extra: str) -> dict[str, str]:
    """Environment for running `volops` as a real process against the test servers, its clock
    starting at the test's `now` (never the hour at which the suite happens to run)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLOPS_")}
    env.update(
        VOLOPS_DATABASE_URL=settings.database_url or "",
        VOLOPS_REDIS_URL=settings.redis_url or "",
        VOLOPS_QUEUE_NAME=settings.queue_name,
        VOLOPS_CLOCK_START=now.isoformat(),
        VOLOPS_DRAIN_SECONDS="0",  # stop at once; the drain itself is tested on its own
    )
    env.update(extra)
    return env


def wait_until_up(url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url} exited"
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise AssertionError(f"{url} did not come up")


@contextmanager
def running_api(env: dict[str, str]) -> Iterator[str]:
    """A real `volops serve` on a free port with this environment; yields its base URL."""
    port = free_port()
    api = subprocess.Popen(
        [*VOLOPS, "serve"], env=env | {"VOLOPS_PORT": str(port)}, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", api)
        yield f"http://127.0.0.1:{port}"
    finally:
        api.terminate()
        api.wait(timeout=20)
