"""Throwaway databases for the tests and the benchmarks: a new, migrated database of its own on a
server, dropped when done (even while connections are still open)."""

from __future__ import annotations

import asyncio
import uuid
from contextlib import ExitStack

import asyncpg

from infra.embedded import with_database
from infra.migrate import migrate


async def create_database(admin_url: str, name: str, *, migrated: bool = True) -> str:
    """The database `name` on the server of `admin_url`, migrated unless asked not to; its URL."""
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
    finally:
        await admin.close()
    url = with_database(admin_url, name)
    if migrated:
        conn = await asyncpg.connect(url)
        try:
            await migrate(conn)
        finally:
            await conn.close()
    return url


async def drop_database(admin_url: str, name: str) -> None:
    admin = await asyncpg.connect(admin_url)
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()


def throwaway(
    admin_url: str, stack: ExitStack, prefix: str = "volops_bench", *, migrated: bool = True
) -> str:
    """A new database for one run (outside any event loop), dropped when `stack` closes; its URL."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    url = asyncio.run(create_database(admin_url, name, migrated=migrated))
    stack.callback(lambda: asyncio.run(drop_database(admin_url, name)))
    return url
