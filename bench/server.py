"""What the benchmarks share: a throwaway database on their own servers, one `volops serve`
process on a free port, stopped (and waited for) when the benchmark's ExitStack closes, so no
process is left behind, and a load of requests against a URL."""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack
from pathlib import Path
from typing import TypeVar

import asyncpg
import httpx

from infra import databases, embedded
from schemas.organisations import Organisation, OrganisationCreate
from services.organisations import service as organisations

T = TypeVar("T")

ROOT = Path(__file__).resolve().parents[1]


def arguments(doc: str, **defaults: int) -> argparse.Namespace:
    """A benchmark's command line: its docstring's first line, and a whole-number option for each
    default (`people=300` is `--people`)."""
    parser = argparse.ArgumentParser(description=doc.split("\n")[0])
    for name, default in defaults.items():
        parser.add_argument(f"--{name}", type=int, default=default)
    return parser.parse_args()


def on_database(database_url: str, work: Callable[[asyncpg.Connection], Awaitable[T]]) -> T:
    """What `work` does with a connection of its own, closed after."""

    async def run() -> T:
        conn = await asyncpg.connect(database_url)
        try:
            return await work(conn)
        finally:
            await conn.close()

    return asyncio.run(run())


async def bench_organisation(conn: asyncpg.Connection, slug: str) -> Organisation:
    """A Swedish support organisation of the benchmark's own."""
    made = OrganisationCreate(slug, "Bench", "support_organisation", "SE", "sv", "Europe/Stockholm")
    return await organisations.create(conn, made)


def bench_servers(stack: ExitStack) -> tuple[str, str]:
    """A throwaway database (dropped when the stack closes) on the benchmarks' PostgreSQL, the
    machine's where it answers, else an embedded one; and their Redis."""
    admin_url, redis_url = embedded.local_servers(ROOT / ".volops" / "bench", stack)
    return databases.throwaway(admin_url, stack), redis_url


def load(url: str, seconds: int, headers: dict[str, str] | None = None) -> float:
    """Requests per second."""
    if shutil.which("wrk"):
        command = ["wrk", "-t2", "-c16", f"-d{seconds}s", url]
        for name, value in (headers or {}).items():
            command += ["-H", f"{name}: {value}"]
        out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return asyncio.run(_python_load(url, seconds, headers or {}))


async def _python_load(url: str, seconds: int, headers: dict[str, str]) -> float:
    done = 0
    deadline = time.monotonic() + seconds
    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=16)) as client:

        async def worker() -> None:
            nonlocal done
            while time.monotonic() < deadline:
                await client.get(url, headers=headers)
                done += 1

        await asyncio.gather(*(worker() for _ in range(16)))
    return done / seconds


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
