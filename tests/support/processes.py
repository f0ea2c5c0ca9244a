"""Real volops processes for the tests: a free port, a wait until one answers, a running API."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

VOLOPS = [sys.executable, "-m", "services.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
