"""Real volops processes for the tests: a free port, a wait until one answers, a running API."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

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


def left_behind(marker: str, seconds: float = 15, running: tuple[bytes, ...] = (b"",)) -> dict[int, str]:
    """The command lines, by process id, of processes still running with `marker` (NAME=value) in their
    environment, which every process started under it inherits, and one of `running` in their
    command line; after allowing them `seconds` to be gone (a process stopped is waited for, but its own
    children may take a moment)."""
    deadline = time.monotonic() + seconds
    while True:
        left = {}
        for process in Path("/proc").glob("[0-9]*"):
            try:
                command = (process / "cmdline").read_bytes()
                if marker.encode() in (process / "environ").read_bytes() and any(
                    r in command for r in running
                ):
                    left[int(process.name)] = command.replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:  # gone while looking, or not ours to read
                continue
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.2)
