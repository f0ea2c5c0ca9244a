"""A partner's rooms: registered with who answers for each and which organisations may borrow them;
a protected room's address only for the room's own coordinators and keepers."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from schemas.bookings import Venue, VenueCreate
from services.access.service import Access
from services.bookings.queries import queries
from services.db import as_struct, rows
from services.problems import Conflict, NotFound, Unprocessable, refusals
from services.words import N_, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"venue-not-found": N_("There is no such room lent to you.")})

# What a borrower reads instead of a protected venue's address.
HIDDEN_ADDRESS = N_("address from the venue's contact")


class VenueEvent(msgspec.Struct, frozen=True, kw_only=True):
    """A confirmed booking of a partner's room as its venue feed shows it: titles only."""

    id: int
    starts_at: datetime
    ends_at: datetime
    answered_at: datetime | None
    title: str
    venue_name: str
    venue_address: str
    protected: bool
    borrower_name: str


async def venue_events(
    conn: asyncpg.Connection, organisation_id: int, window_start: datetime, window_end: datetime
) -> list[VenueEvent]:
    """A partner's confirmed bookings of its rooms in a window (its venue feed)."""
    found = await rows(
        queries.venue_events(
            conn, organisation_id=organisation_id, window_start=window_start, window_end=window_end
        )
    )
    return [as_struct(VenueEvent)(row) for row in found]


def _venue(row: asyncpg.Record, viewer: Access) -> Venue:
    """A protected room's address only for its own organisation's coordinators and the people who
    answer for that room (its keepers, who know it): never a borrower, a volunteer or another
    partner contact, who read where to ask instead."""
    own = row["organisation_id"] == viewer.organisation_id
    keeper = viewer.is_coordinator or viewer.person_id in row["contacts"]
    hidden = row["protected"] and not (own and keeper)
    return as_struct(Venue)(
        row,
        address=translate(viewer.language, HIDDEN_ADDRESS) if hidden else row["address"],
        contacts=list(row["contacts"]) if own else [],
        lent_to=list(row["lent_to"]) if own else [],
    )


async def create_venue(conn: asyncpg.Connection, access: Access, data: VenueCreate) -> Venue:
    if not access.roles & {"coordinator", "partner_contact"}:
        access.require_coordinator("register rooms")
    async with conn.transaction():
        try:
            room = msgspec.structs.asdict(data)
            del room["contacts"], room["lent_to"]  # rows of their own, below
            venue_id = await queries.insert_venue(conn, organisation_id=access.organisation_id, **room)
        except asyncpg.UniqueViolationError:
            raise Conflict(
                f"name: there is already a room called {data.name!r}.", code="venue-exists"
            ) from None
        for person_id in dict.fromkeys(data.contacts):  # once each: nothing added then means not a member
            if (
                await queries.add_venue_contact(
                    conn, venue_id=venue_id, person_id=person_id, organisation_id=access.organisation_id
                )
                is None
            ):
                raise Unprocessable(
                    f"contacts: person {person_id} is not a member of this organisation.", code="not-a-member"
                )
        for organisation_id in dict.fromkeys(data.lent_to):
            if organisation_id == access.organisation_id:
                continue
            if await queries.add_borrower(conn, venue_id=venue_id, organisation_id=organisation_id) is None:
                raise Unprocessable(
                    f"lent_to: there is no organisation {organisation_id}.", code="unknown-borrower"
                )
    return _venue(await queries.get_venue(conn, id=venue_id), access)


async def list_venues(conn: asyncpg.Connection, access: Access) -> list[Venue]:
    return [
        _venue(r, access)
        for r in await rows(queries.venues_for(conn, organisation_id=access.organisation_id))
    ]


async def lendable(conn: asyncpg.Connection, access: Access, venue_id: int) -> int:
    """The room's id when it is this organisation's own or lent to it; 404 otherwise."""
    venue = await queries.get_venue(conn, id=venue_id)
    if venue is None or not (
        venue["organisation_id"] == access.organisation_id or access.organisation_id in venue["lent_to"]
    ):
        raise NotFound(f"There is no room {venue_id} lent to this organisation.", code="venue-not-found")
    return venue["id"]


async def venue_for_contact(conn: asyncpg.Connection, venue_id: int) -> Venue:
    """The room as the people who answer for it see it (they keep it: its address too)."""
    return as_struct(Venue)(await queries.get_venue(conn, id=venue_id))


class ContactsRoom(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    name: str
    address: str
    capacity: int | None


async def venues_of_contact(conn: asyncpg.Connection, person_id: int) -> list[ContactsRoom]:
    """The rooms a person answers for."""
    return [
        as_struct(ContactsRoom)(row)
        for row in await rows(queries.venues_of_contact(conn, person_id=person_id))
    ]
