"""Sharing needs both sides. An organisation shares its activities (and with them the names of
who is on them) only with a partner: one organisation's coordinator asks, the other's accepts on
its board. Either side ends it at once: no activity stays shared, and the other side's members
come off every coming date of those activities, each told by SMS as for any removal."""

from __future__ import annotations

import asyncpg

from schemas.organisations import Partnership
from services.access.service import Access
from services.activities import service as activities
from services.assignments import service as assignments
from services.clock import Clock
from services.db import as_struct, rows
from services.partnerships.queries import queries
from services.problems import Conflict, NotFound, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "partners-already": N_("You are partners already."),
        "partnership-not-found": N_("That partnership has ended already."),
    }
)


def _not_found(partnership_id: int) -> NotFound:
    return NotFound(f"There is no partnership {partnership_id} here.", code="partnership-not-found")


async def list_partnerships(conn: asyncpg.Connection, access: Access) -> list[Partnership]:
    access.require_coordinator("see the organisation's partnerships")
    found = await rows(queries.partnerships_of(conn, organisation_id=access.organisation_id))
    return [as_struct(Partnership)(row) for row in found]


async def ask(conn: asyncpg.Connection, clock: Clock, access: Access, slug: str) -> Partnership:
    """Ask another organisation (by the short name its coordinator gave) to be partners. If it
    asked us already, this accepts."""
    access.require_coordinator("ask for a partnership")
    other = await queries.organisation_by_slug(conn, slug=slug)
    if other is None or other["id"] == access.organisation_id:
        raise Unprocessable(
            "partner: no other organisation has that short name.", code="organisation-not-found"
        )
    async with conn.transaction():
        live = await queries.live_between(conn, one=access.organisation_id, other=other["id"])
        if live is None:
            await queries.insert_ask(
                conn, asked_by=access.organisation_id, asked_to=other["id"], now=clock.now()
            )
        elif live["accepted_at"] is None and live["asked_to"] == access.organisation_id:
            await queries.accept(conn, id=live["id"], organisation_id=access.organisation_id, now=clock.now())
        elif live["accepted_at"] is not None:
            raise Conflict("You are partners already.", code="partners-already")
    return next(p for p in await list_partnerships(conn, access) if p.partner_id == other["id"])


async def accept(conn: asyncpg.Connection, clock: Clock, access: Access, partnership_id: int) -> Partnership:
    access.require_coordinator("accept a partnership")
    if (
        await queries.accept(conn, id=partnership_id, organisation_id=access.organisation_id, now=clock.now())
        is None
    ):
        raise _not_found(partnership_id)
    return next(p for p in await list_partnerships(conn, access) if p.id == partnership_id)


async def end(conn: asyncpg.Connection, clock: Clock, access: Access, partnership_id: int) -> int:
    """Either side ends it (or withdraws its ask); the number of shifts freed."""
    access.require_coordinator("end a partnership")
    async with conn.transaction():
        ended = await queries.end_partnership(
            conn, id=partnership_id, organisation_id=access.organisation_id, now=clock.now()
        )
        if ended is None:
            raise _not_found(partnership_id)
        one, other = ended["asked_by"], ended["asked_to"]
        shifts = await rows(queries.shifts_across(conn, one=one, other=other, now=clock.now()))
        for shift in shifts:
            # Removed in the owner's name, by who ended it: each is told, as for any removal.
            owner = Access.without_token(access.person_id, shift["owner"], "coordinator")
            await assignments.end(conn, clock, owner, shift["id"])
        await activities.unshare_between(conn, one, other)
    return len(shifts)
