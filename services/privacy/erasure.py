"""Erasure on request (GDPR Art. 17). The person's name, number and texts go; what is only about
her (availability, days away, qualifications, watches) is removed; her coming shifts are withdrawn
(gaps appear, as for any withdrawal) and waiting texts cancelled; tokens, page links and calendar
feeds stop. Her row stays under a pseudonym, so the hours she gave stay in the reports as a former
volunteer's, and the audit trail keeps every event without her name. All in one transaction."""

from __future__ import annotations

import asyncpg
import msgspec

from services.access.service import Access, require_person_in_view
from services.assignments import service as assignments
from services.audit import service as audit
from services.clock import Clock
from services.db import rows
from services.privacy.queries import queries
from services.problems import Conflict


def pseudonym(person_id: int) -> str:
    return f"Former volunteer {person_id}"


def _json_text(text: str) -> str:
    """How a text is written inside JSON (quotes and backslashes escaped), to find it in the trail."""
    return msgspec.json.encode(text).decode()[1:-1]


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
    for a volunteer inactive past the grace period)."""
    person_id, now = person["id"], clock.now()
    await queries.allow_erasure(conn)
    name, phone = person["display_name"], person["phone"] or f"(no number of {person_id})"
    await queries.erase_texts(
        conn, person_id=person_id, organisation_id=organisation_id, phone=phone, name=name
    )
    await queries.erase_replies(conn, person_id=person_id)
    await queries.erase_sign_in_codes(conn, person_id=person_id)
    await queries.revoke_everything(conn, person_id=person_id, now=now)
    await queries.remove_personal_rows(conn, person_id=person_id)
    await queries.former_volunteer(conn, person_id=person_id)
    await queries.pseudonymise(conn, person_id=person_id, pseudonym=pseudonym(person_id), now=now)
    await queries.scrub_trail(
        conn, person_id=person_id, name=_json_text(name), pseudonym=_json_text(pseudonym(person_id))
    )
    await audit.record(conn, organisation_id, "people", person_id, "erase", about)
