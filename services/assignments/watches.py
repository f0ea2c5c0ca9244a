""" "Tell me if a place frees up": a volunteer watches a full shift; each place that frees texts
every watcher once, and the first to take it has it (the sign-up rules decide, as for any sign-up)."""

from __future__ import annotations

import asyncpg

from services.access.service import Access
from services.assignments.queries import queries
from services.clock import Clock
from services.db import rows
from services.notices import service as notices
from services.occurrences import service as occurrences
from services.problems import Conflict


async def watch(conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int) -> None:
    occurrence = await occurrences.occurrence_for(conn, access, occurrence_id)
    if occurrence.status == "cancelled" or occurrence.starts_at <= clock.now():
        raise Conflict("Only a coming shift can be watched.", code="occurrence-over")
    await queries.watch(conn, occurrence_id=occurrence_id, person_id=access.person_id, now=clock.now())


async def unwatch(conn: asyncpg.Connection, access: Access, occurrence_id: int) -> None:
    await queries.unwatch(conn, occurrence_id=occurrence_id, person_id=access.person_id)


async def watched(conn: asyncpg.Connection, person_id: int) -> set[int]:
    return {r["occurrence_id"] for r in await rows(queries.watched(conn, person_id=person_id))}


async def tell_watchers(conn: asyncpg.Connection, clock: Clock, freed: asyncpg.Record) -> int:
    """The place of assignment `freed` is free again: one text to each watcher (in the same
    transaction as the freeing, keyed by it, so it goes once)."""
    if freed["starts_at"] <= clock.now():
        return 0
    told = 0
    for watcher in await rows(queries.watchers(conn, occurrence_id=freed["occurrence_id"])):
        told += await notices.tell(
            conn,
            clock,
            watcher["id"],
            key=f"place-free:{freed['id']}:{watcher['id']}",
            template="place_free",
            organisation_id=freed["organisation_id"],
            before=freed["starts_at"],
            what=freed["title"],
            moment=freed["starts_at"],
        )
    return told
