"""Erasure on request (GDPR Art. 17). The person's name, number and texts go; what is only about
her (availability, days away, qualifications, watches) is removed; her coming shifts are withdrawn
(gaps appear, as for any withdrawal) and waiting texts cancelled; tokens, page links and calendar
feeds stop. Her row stays under a pseudonym, so the hours she gave stay in the reports as a former
volunteer's, and the audit trail keeps every event without her name. All in one transaction."""

from __future__ import annotations

import asyncpg

from services.access.service import Access, require_person_in_view
from services.assignments import service as assignments
from services.audit import service as audit
from services.clock import Clock
from services.db import rows
from services.holdings import Erasure
from services.privacy.owners import HOLDINGS
from services.privacy.queries import queries
from services.problems import Conflict


def pseudonym(person_id: int) -> str:
    return f"Former volunteer {person_id}"


async def erase(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> int:
    """A coordinator erases a member at her request; the number of coming shifts freed."""
    access.require_coordinator("erase a person's data")
    await require_person_in_view(conn, access, person_id)
    async with conn.transaction():
        person = await queries.person_to_erase(conn, person_id=person_id)
        if person["erased_at"] is not None:
            raise Conflict("This person's data was erased already.", code="already-erased")
        coming = [
            r["id"]
            for r in await rows(queries.coming_assignments(conn, person_id=person_id, now=clock.now()))
        ]
        for assignment_id in coming:
            await assignments.end(conn, clock, access, assignment_id)
        await remove(conn, clock, person, access.organisation_id, {"shifts_freed": len(coming)})
    return len(coming)


async def remove(
    conn: asyncpg.Connection, clock: Clock, person: asyncpg.Record, organisation_id: int, about: dict
) -> None:
    """The erasure itself, in the caller's transaction (a coordinator's, or the retention job's
    for a volunteer inactive past the grace period): each context erases what it holds of her."""
    person_id = person["id"]
    await queries.allow_erasure(conn)
    erasure = Erasure(
        person_id=person_id,
        organisation_id=organisation_id,
        name=person["display_name"],
        phone=person["phone"] or f"(no number of {person_id})",
        pseudonym=pseudonym(person_id),
        now=clock.now(),
    )
    for holding in HOLDINGS:
        if holding.erase is not None:
            await holding.erase(conn, erasure)
    await audit.record(conn, organisation_id, "people", person_id, "erase", about)
