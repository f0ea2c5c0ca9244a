"""Connections and named SQL queries.

Each domain folder keeps its SQL in `queries.sql` (loaded with aiosql), so every statement can be
found and reviewed as SQL. Routes and worker jobs open connections through `create_pool` alike.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiosql
import asyncpg

T = TypeVar("T")


def load_queries(module_file: str) -> Any:
    """The `queries.sql` beside `module_file`, as callables taking a connection and keywords."""
    return aiosql.from_path(Path(module_file).with_name("queries.sql"), "asyncpg")


async def rows(result: AsyncIterator[asyncpg.Record]) -> list[asyncpg.Record]:
    """aiosql yields select-many results lazily; the services want lists."""
    return [row async for row in result]


queries = load_queries(__file__)
ACTING = ("actor_person", "actor_org", "via", "now")  # the audit trail's settings (migration 0016)
Via = Literal["api", "page", "sms", "link", "job", "cli"]


async def act(conn: asyncpg.Connection, **acting: str) -> None:
    """Who the audit trail names for what `conn` changes until it goes back to the pool: set on
    the session, or, through a transaction pooler, kept by the connection for each transaction."""
    # (asyncpg's metaclass counts any connection an instance of every Connection class)
    if issubclass(type(getattr(conn, "_con", conn)), TransactionPooledConnection):
        conn.keep_acting(acting)
    else:
        await queries.act(conn, **{name: acting.get(name, "") for name in ACTING}, is_local=False)


async def act_as(
    conn: asyncpg.Connection, person_id: int | None, organisation_id: int | None, via: Via, now: datetime
) -> None:
    """Who the audit trail names for what `conn` changes next, and through what."""
    await act(
        conn,
        actor_person="" if person_id is None else str(person_id),
        actor_org="" if organisation_id is None else str(organisation_id),
        via=via,
        now=now.isoformat(),
    )


class TransactionPooledConnection(asyncpg.Connection):
    """A connection through PgBouncer in transaction mode. Each transaction may run on another
    server connection, and a session setting would stay behind there for whoever comes next, so
    who acts is kept here and set again, local to the transaction, as each one begins; a statement
    outside a transaction runs in one of its own so the trail's triggers see it too."""

    _defaults: dict[str, str] = {}
    _acting: dict[str, str] = {}
    _beginning = False

    def start_acting(self, via: str) -> None:
        self._defaults = self._acting = {"via": via}

    def keep_acting(self, acting: dict[str, str]) -> None:
        self._acting = {**self._defaults, **acting}

    def get_reset_query(self) -> str:
        self._acting = self._defaults  # back in the pool: nobody is named any more
        return ""  # nothing rests on a server connection (RESET ALL would undo the pooler's own)

    def transaction(self, **options):
        return _ActingTransaction(
            self, options.get("isolation"), options.get("readonly", False), options.get("deferrable", False)
        )

    async def _alone(self, run, *args, **kwargs):
        if self._beginning or self.is_in_transaction():
            return await run(self, *args, **kwargs)
        async with self.transaction():
            return await run(self, *args, **kwargs)

    async def execute(self, *args, **kwargs):
        return await self._alone(asyncpg.Connection.execute, *args, **kwargs)

    async def executemany(self, *args, **kwargs):
        return await self._alone(asyncpg.Connection.executemany, *args, **kwargs)

    async def fetch(self, *args, **kwargs):
        return await self._alone(asyncpg.Connection.fetch, *args, **kwargs)

    async def fetchrow(self, *args, **kwargs):
        return await self._alone(asyncpg.Connection.fetchrow, *args, **kwargs)

    async def fetchval(self, *args, **kwargs):
        return await self._alone(asyncpg.Connection.fetchval, *args, **kwargs)


class _ActingTransaction(asyncpg.transaction.Transaction):
    async def start(self) -> None:
        conn: TransactionPooledConnection = self._connection
        outermost = not conn.is_in_transaction()
        conn._beginning = True  # asyncpg's own BEGIN must not be wrapped in a transaction
        try:
            await super().start()
        finally:
            conn._beginning = False
        if outermost:
            acting = {name: conn._acting.get(name, "") for name in ACTING}
            await queries.act(conn, **acting, is_local=True)


async def create_pool(
    database_url: str,
    *,
    min_size: int = 1,
    max_size: int = 10,
    command_timeout: float = 30,
    via: str = "api",
    pool_mode: str = "session",
) -> asyncpg.Pool:
    """`via` is what the audit trail says a change came through until someone is named (a token,
    a link, an SMS answer): api for the API processes, job for the workers. `pool_mode`
    "transaction" is for a database_url that is PgBouncer in transaction mode."""
    # Every instant is stored as timestamptz; sessions speak UTC so nothing depends on the host.
    # (PgBouncer keeps timezone and application_name per client; it refuses any other setting.)
    server_settings = {"timezone": "UTC", "application_name": "volops"}
    through_pooler = pool_mode == "transaction"

    async def init(conn: asyncpg.Connection) -> None:
        conn.start_acting(via)

    pool = await asyncpg.create_pool(
        database_url,
        min_size=min_size,
        max_size=max_size,
        command_timeout=command_timeout,
        timeout=command_timeout,  # connecting, too
        server_settings=server_settings if through_pooler else {**server_settings, "volops.via": via},
        # Prepared statements live on one server connection; the pooler may give another.
        statement_cache_size=0 if through_pooler else 100,
        connection_class=TransactionPooledConnection if through_pooler else asyncpg.Connection,
        init=init if through_pooler else None,
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
