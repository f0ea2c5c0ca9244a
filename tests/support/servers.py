"""Real PostgreSQL and Redis for the tests: the machine's own on 127.0.0.1 when they answer (or
VOLOPS_TEST_POSTGRES_URL / VOLOPS_TEST_REDIS_URL), otherwise the project's embedded ones under
.volops/test. VOLOPS_TEST_EMBEDDED=1 acts as a machine without servers would."""

from __future__ import annotations

import os
from contextlib import ExitStack
from pathlib import Path

from infra import embedded

ROOT = Path(__file__).resolve().parents[2]
with_database = embedded.with_database


def start(stack: ExitStack) -> tuple[str, str]:
    postgres, redis = os.environ.get("VOLOPS_TEST_POSTGRES_URL"), os.environ.get("VOLOPS_TEST_REDIS_URL")
    if postgres and redis:
        return postgres, redis
    found = embedded.local_servers(
        ROOT / ".volops" / "test", stack, use_machine=os.environ.get("VOLOPS_TEST_EMBEDDED") != "1"
    )
    return postgres or found[0], redis or found[1]
