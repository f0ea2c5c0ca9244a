"""What a context holds about a person, declared beside the context's own tables (its
`privacy.py`): which tables, how they are exported, what erasure does to them, and what retention
takes away in time. `services/privacy` walks every context's holdings; no one else knows all the
tables, and `tests/privacy/test_every_table.py` fails on a table with a person's id or a number
that no holding names."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import asyncpg
import msgspec


@dataclass(frozen=True)
class Erasure:
    """The person being erased, as each context needs her: found by her id, her name and number
    taken out of what others of `organisation_id` were sent."""

    person_id: int
    organisation_id: int
    name: str
    phone: str
    pseudonym: str
    now: datetime


Export = Callable[[asyncpg.Connection, int, int | None], Awaitable[list[dict[str, Any]]]]


@dataclass(frozen=True)
class Holding:
    section: str  # its name in her export (several holdings may fill one section)
    tables: tuple[str, ...]
    # Her rows, whole (secrets left out); with an organisation, only what that one holds.
    export: Export
    # In the erasure's transaction: what is only hers goes, what is kept loses her name.
    erase: Callable[[asyncpg.Connection, Erasure], Awaitable[None]] | None = None
    # Retention: what is past its time goes; how many rows, counted under `purged_as`.
    purge: Callable[[asyncpg.Connection, datetime], Awaitable[int]] | None = None
    purged_as: str = ""
    kept: str = ""  # what erasure leaves on purpose, and why


async def items(found: AsyncIterator[asyncpg.Record]) -> list[dict[str, Any]]:
    """An export query's rows (each a JSON `item`) as plain values."""
    return [msgspec.json.decode(row["item"]) async for row in found]


def exported_by(query: Callable[..., AsyncIterator[asyncpg.Record]], *, scoped: bool = True) -> Export:
    """An export from one of the context's own queries, found by her id and, where `scoped`, the
    organisation asking (the query then takes `organisation_id`, NULL for her own export)."""

    async def export(
        conn: asyncpg.Connection, person_id: int, organisation_id: int | None
    ) -> list[dict[str, Any]]:
        by_organisation = {"organisation_id": organisation_id} if scoped else {}
        return await items(query(conn, person_id=person_id, **by_organisation))

    return export


def erased_by(
    query: Callable[..., Awaitable[Any]], *, at_now: bool = False
) -> Callable[..., Awaitable[None]]:
    """An erasure by one of the context's own queries, found by her id (and given the moment)."""

    async def erase(conn: asyncpg.Connection, erasure: Erasure) -> None:
        await query(conn, person_id=erasure.person_id, **({"now": erasure.now} if at_now else {}))

    return erase


def purged_by(
    query: Callable[..., Awaitable[int]], *, kept: timedelta | None = None
) -> Callable[..., Awaitable[int]]:
    """Retention by one of the context's own queries: given now, or what is older than `kept`."""

    async def purge(conn: asyncpg.Connection, now: datetime) -> int:
        return await (query(conn, now=now) if kept is None else query(conn, before=now - kept))

    return purge
