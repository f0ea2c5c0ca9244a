"""Swaps: a volunteer offers their assignment to a named colleague or to anyone eligible. The taker
must pass the same rules as any sign-up; the one who offered keeps the shift until then, and if the
taker fails a rule nothing changes."""

from __future__ import annotations

import asyncpg
import msgspec

from schemas.rota import SwapOffer
from services.access.service import Access, is_member
from services.assignments import own as own_shifts
from services.assignments import service as assignments
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.problems import Conflict, NotFound
from services.rota.queries import queries


async def _offer_view(conn: asyncpg.Connection, offer_id: int) -> SwapOffer:
    row = await queries.swap_offer(conn, id=offer_id)
    return as_struct(SwapOffer)(row)


async def offer(
    conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int, offered_to: int | None
) -> SwapOffer:
    mine = await own_shifts.own_assignment(conn, access, assignment_id)
    if mine.status != "active" or mine.starts_at <= clock.now():
        raise Conflict(
            "Only a current assignment that has not begun can be offered.", code="assignment-ended"
        )
    if offered_to is not None and not await is_member(conn, access.organisation_id, offered_to):
        raise NotFound(f"There is no person {offered_to} in this organisation.", code="person-not-found")
    try:
        row = await queries.offer_swap(
            conn,
            assignment_id=assignment_id,
            offered_by=access.person_id,
            offered_to=offered_to,
            now=clock.now(),
        )
    except asyncpg.UniqueViolationError:
        raise Conflict("This assignment is already on offer.", code="already-offered") from None
    if offered_to is not None:  # the colleague hears of it; anyone else finds it on their page
        await notices.tell(
            conn,
            clock,
            offered_to,
            key=f"swap-offered:{row['id']}",
            template="swap_offered",
            organisation_id=access.organisation_id,
            before=mine.starts_at,
            what=mine.title,
            moment=mine.starts_at,
        )
    return await _offer_view(conn, row["id"])


async def take(conn: asyncpg.Connection, clock: Clock, access: Access, offer_id: int) -> SwapOffer:
    offer_row = await queries.swap_offer(conn, id=offer_id)
    visible = [
        r["id"]
        for r in await rows(
            queries.open_swaps(conn, organisation_id=access.organisation_id, person_id=access.person_id)
        )
    ]
    if offer_row is None or offer_id not in visible:
        raise NotFound(f"There is no swap offer {offer_id} for you.", code="swap-not-found")
    if offer_row["offered_by"] == access.person_id:
        raise Conflict("You cannot take your own offer; withdraw it instead.", code="own-offer")
    now = clock.now()
    async with conn.transaction():  # all or nothing: a taker who fails a rule changes nothing
        if await queries.claim_swap(conn, id=offer_id, taker=access.person_id, now=now) is None:
            raise Conflict("Someone else took this shift first.", code="swap-taken")
        await assignments.hand_over(conn, clock, offer_row["assignment_id"], access.person_id)
        taken = await assignments.assign(
            conn, clock, access, offer_row["occurrence_id"], offer_row["role_id"]
        )
        await queries.set_swap_assignment(conn, id=offer_id, assignment_id=taken.id)
    return await _offer_view(conn, offer_id)


async def withdraw(conn: asyncpg.Connection, access: Access, offer_id: int) -> None:
    if not await queries.withdraw_swap(conn, id=offer_id, person_id=access.person_id):
        raise NotFound(f"You have no open swap offer {offer_id}.", code="swap-not-found")


class Colleague(msgspec.Struct, frozen=True):
    id: int
    display_name: str


async def colleagues(conn: asyncpg.Connection, access: Access) -> list[Colleague]:
    """Whom she can offer a shift to by name: the organisation's other volunteers."""
    found = await rows(
        queries.colleagues(conn, organisation_id=access.organisation_id, person_id=access.person_id)
    )
    return [as_struct(Colleague)(row) for row in found]


async def open_offers(conn: asyncpg.Connection, access: Access) -> list[SwapOffer]:
    return [
        as_struct(SwapOffer)(r, status="open")
        for r in await rows(
            queries.open_swaps(conn, organisation_id=access.organisation_id, person_id=access.person_id)
        )
    ]
