"""Connections and named SQL queries.

Each domain folder keeps its SQL in `queries.sql` (loaded with aiosql), so every statement can be
found and reviewed as SQL. Routes and worker jobs open connections through `create_pool` alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any, TypeVar

import aiosql
import asyncpg

T = TypeVar("T")


def load_queries(module_file: str) -> Any:
    """The `queries.sql` beside `module_file`, as callables taking a connection and keywords."""
    return aiosql.from_path(Path(module_file).with_name("queries.sql"), "asyncpg")


async def rows(result: AsyncIterator[asyncpg.Record]) -> list[asyncpg.Record]:
    """aiosql yields select-many results lazily; the services want lists."""
    return [row async for row in result]


async def create_pool(
    database_url: str, *, min_size: int = 1, max_size: int = 10, command_timeout: float = 30, via: str = "api"
) -> asyncpg.Pool:
    """`via` is what the audit trail says a change came through until someone is named (a token,
    a link, an SMS answer): api for the API processes, job for the workers."""
    pool = await asyncpg.create_pool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        command_timeout=command_timeout,
        timeout=command_timeout,  # connecting, too
        # Every instant is stored as timestamptz; sessions speak UTC so nothing depends on the host.
        server_settings={"timezone": "UTC", "application_name": "volops", "volops.via": via},
    )
    assert pool is not None
    return pool


def as_struct(struct: type[T]) -> Callable[..., T]:
    """The one way from a row to a wire contract: the struct's fields, taken by name (a query
    may return more columns than the contract shows, or fewer where the contract has defaults);
    values given by keyword stand for fields the row does not have as they are."""
    fields = struct.__struct_fields__

    def convert(row: asyncpg.Record, **values) -> T:
        columns = set(row.keys()) - values.keys()
        return struct(**{name: row[name] for name in fields if name in columns}, **values)

    return convert
