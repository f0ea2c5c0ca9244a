"""What the HTTP benchmarks share: one `volops serve` process on a free port, stopped (and waited
for) when the benchmark's ExitStack closes, so no process is left behind."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def start_api(stack: ExitStack, database_url: str, redis_url: str) -> str:
    """The base URL of a ready API process on these servers."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = os.environ | {
        "VOLOPS_DATABASE_URL": database_url,
        "VOLOPS_REDIS_URL": redis_url,
        "VOLOPS_PORT": str(port),
        "VOLOPS_DRAIN_SECONDS": "0",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "serve"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    stack.callback(server.wait, 20)
    stack.callback(server.terminate)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(base + "/ready").status_code == 200:
                return base
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError("the API did not start")
