"""A real PgBouncer in transaction mode in front of the test database (Debian's `pgbouncer`), with
fewer server connections than clients, so that sessions really do share server connections."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import parse_qs, urlsplit, urlunsplit

import asyncpg
import pytest

from tests.support.processes import free_port

BINARY = shutil.which("pgbouncer") or (
    "/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None
)


def start(database_url: str, stack: ExitStack, server_connections: int = 2) -> str:
    """PgBouncer on a free port, pooling by transaction; its URL for the same database."""
    if BINARY is None:
        pytest.skip("Debian's pgbouncer is not installed (infra/setup.sh installs it where it can)")
    parts = urlsplit(database_url)
    host = parts.hostname or parse_qs(parts.query).get("host", ["/tmp"])[0]
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="volops-pgbouncer-"))
    stack.callback(shutil.rmtree, folder, True)
    user = parts.username or "postgres"
    (folder / "users.txt").write_text(f'"{user}" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
* = host={host} port={parts.port or 5432}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / "users.txt"}
pool_mode = transaction
default_pool_size = {server_connections}
max_client_conn = 1000
server_reset_query =
"""
    )
    os.chmod(folder, 0o755)
    # PgBouncer will not run as root; the suite may.
    as_user = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"] if os.geteuid() == 0 else []
    process = subprocess.Popen(
        [*as_user, BINARY, str(folder / "pgbouncer.ini")], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    stack.callback(process.wait, 10)
    stack.callback(process.terminate)
    _wait_until_listening(port, process)
    netloc = f"{user}@127.0.0.1:{port}"
    return urlunsplit(("postgresql", netloc, parts.path, "", ""))


def _wait_until_listening(port: int, process: subprocess.Popen) -> None:
    import socket

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"pgbouncer exited: {process.stderr.read().decode()[-500:]}")
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("pgbouncer did not listen")


async def server_backends(direct_url: str) -> int:
    """How many server connections PgBouncer holds to PostgreSQL for volops clients."""
    conn = await asyncpg.connect(direct_url)
    try:
        return await conn.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'volops' AND datname = current_database()"
        )
    finally:
        await conn.close()
