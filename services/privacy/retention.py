"""Keeping no more than is needed (GDPR Art. 5), run by an idempotent worker job: texts' bodies and
numbers go after the organisation's days (what happened to each stays); volunteers inactive for
its months are flagged to the coordinators and, a grace period later, anonymised unless kept; the
audit trail's rows older than its retention are deleted (the only deletion the trail allows);
sign-in codes and number proofs go after a day."""

from __future__ import annotations

from dataclasses import dataclass

import asyncpg

from schemas.people import InactiveVolunteer
from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.privacy import erasure
from services.privacy.owners import HOLDINGS
from services.privacy.queries import queries
from services.problems import NotFound


@dataclass
class Kept:
    texts_purged: int = 0
    replies_purged: int = 0
    trail_deleted: int = 0
    anonymised: int = 0
    codes_deleted: int = 0


async def apply(conn: asyncpg.Connection, clock: Clock) -> Kept:
    """Everything past its time, once; a second run finds nothing more to do."""
    now = clock.now()
    kept = Kept()
    async with conn.transaction():
        await queries.allow_retention(conn)
        for holding in HOLDINGS:  # each context takes away what is past its time
            if holding.purge is not None:
                purged = await holding.purge(conn, now)
                setattr(kept, holding.purged_as, getattr(kept, holding.purged_as) + purged)
    for due in await rows(queries.due_for_anonymising(conn, now=now)):
        async with conn.transaction():
            person = await queries.person_to_erase(conn, person_id=due["id"])
            if person["erased_at"] is None:
                await erasure.remove(conn, clock, person, due["organisation_id"], {"inactive": True})
                kept.anonymised += 1
    return kept


async def inactive(conn: asyncpg.Connection, clock: Clock, access: Access) -> list[InactiveVolunteer]:
    """The organisation's volunteers flagged as inactive, with the day each will be anonymised."""
    access.require_coordinator("see inactive volunteers")
    found = await rows(
        queries.inactive_volunteers(conn, organisation_id=access.organisation_id, now=clock.now())
    )
    return [as_struct(InactiveVolunteer)(row) for row in found]


async def keep(conn: asyncpg.Connection, access: Access, person_id: int, keep: bool) -> None:
    """A coordinator keeps an inactive volunteer (she is never anonymised for inactivity)."""
    access.require_coordinator("keep inactive volunteers")
    if (
        await queries.keep_while_inactive(
            conn, organisation_id=access.organisation_id, person_id=person_id, keep=keep
        )
        is None
    ):
        raise NotFound(f"There is no person {person_id} in this organisation.", code="person-not-found")
