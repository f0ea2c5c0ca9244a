"""What a context holds about a person, declared beside the context's own tables (its
`privacy.py`): which tables, how they are exported, what erasure does to them, and what retention
takes away in time. `services/privacy` walks every context's holdings; no one else knows all the
tables, and `tests/privacy/test_every_table.py` fails on a table with a person's id or a number
that no holding names."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
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
