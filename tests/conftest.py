from __future__ import annotations

import contextlib
import os
import signal
import uuid
from contextlib import ExitStack

import asyncpg
import pytest
from litestar.testing import AsyncTestClient

from infra.databases import throwaway
from services.app import create_asgi
from services.clock import FixedClock
from services.config import Settings
from tests.support import servers
from tests.support.factories import Org, make_org
from tests.support.now import SUITE_NOW, instant
from tests.support.processes import left_behind


@pytest.fixture(scope="module", autouse=True)
def no_volops_process_outlives_its_module(request):
    """Every `volops` process a test module starts (serve, worker, dev) is gone by the time the
    module ends: one left running holds ports and database connections into later tests."""
    marker = uuid.uuid4().hex
    os.environ["TEST_MODULE_RUN"] = marker  # every process started from here on inherits it
    yield
    left = left_behind(f"TEST_MODULE_RUN={marker}", seconds=20, running=(b"services.cli",))
    for pid in left:  # stopped here, so that later modules do not inherit them
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert not left, f"{request.module.__name__} left running: {sorted(left.values())}"


@pytest.fixture(scope="session")
def server_urls():
    with ExitStack() as stack:
        yield servers.start(stack)


@pytest.fixture(scope="session")
def admin_url(server_urls) -> str:
    return server_urls[0]


@pytest.fixture(scope="session")
def redis_url(server_urls) -> str:
    return server_urls[1]


@pytest.fixture(scope="session")
def database_url(admin_url):
    """One migrated database for the run; each test starts from empty tables."""
    with ExitStack() as stack:
        yield throwaway(admin_url, stack, "volops_test")


@pytest.fixture
def fresh_database(admin_url):
    """An empty, unmigrated database of its own (migration tests)."""
    with ExitStack() as stack:
        yield throwaway(admin_url, stack, "volops_test", migrated=False)


@pytest.fixture
def settings(database_url, redis_url) -> Settings:
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        queue_name=f"volops-test-{uuid.uuid4().hex[:8]}",
        max_body_bytes=100_000,
        link_key="a-test-key-for-calendar-links-0123456789",
    )


@pytest.fixture
def clock(request) -> FixedClock:
    """The test's now: the suite's, unless the test (or its module) pins its own with
    `@pytest.mark.now("2026-03-02T10:00")` (Stockholm time), as tests whose dates are written out
    do; `@pytest.mark.now("suite")` takes the suite's again inside such a module."""
    marker = request.node.get_closest_marker("now")
    if marker is None or marker.args[0] == "suite":
        return FixedClock(SUITE_NOW)
    return FixedClock(instant(marker.args[0]))


@pytest.fixture
async def conn(database_url):
    conn = await asyncpg.connect(database_url, server_settings={"timezone": "UTC"})
    tables = [
        r["tablename"]
        for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"
        )
    ]
    async with conn.transaction():  # the audit trail lets only its own maintenance empty it
        await conn.execute("SELECT set_config('volops.audit_maintenance', 'retention', true)")
        await conn.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
    yield conn
    await conn.close()


@pytest.fixture
async def client(settings, clock, conn):
    asgi = create_asgi(settings, clock)
    async with AsyncTestClient(asgi) as client:
        client.litestar = asgi.litestar  # the Litestar app, for tests that look at its state
        yield client


@pytest.fixture
async def org(conn, clock) -> Org:
    return await make_org(conn, clock, "malmo-test")


@pytest.fixture
async def other_org(conn, clock) -> Org:
    return await make_org(conn, clock, "oslo-test", country="NO")


@pytest.fixture
def sms_stack(settings, clock):
    from tests.support import sms

    with ExitStack() as stack:
        yield sms.start(settings, clock, stack)
