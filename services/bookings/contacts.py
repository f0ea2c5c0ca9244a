"""What a room's contacts see: the request and the contact a link was signed for, its dates, the
dates a contact can answer, and which booking holds a room when a date clashes."""

from __future__ import annotations

import asyncpg
import msgspec

from services.bookings import dates
from services.bookings.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.problems import NotFound


class RequestForContact(msgspec.Struct, frozen=True, kw_only=True):
    """A room request as the contact answering it sees it."""

    id: int
    venue_id: int
    title: str
    time_zone: str
    venue_name: str
    borrower_name: str


class Contact(msgspec.Struct, frozen=True, kw_only=True):
    """One person who answers for a room."""

    id: int
    display_name: str
    language: str
    time_zone: str


async def request_for_contact(
    conn: asyncpg.Connection, request_id: int, person_id: int
) -> tuple[RequestForContact, Contact]:
    """The request and the contact a link was signed for; 404 if they no longer answer for it."""
    booking_request = await queries.get_request(conn, id=request_id)
    contact = booking_request and await queries.contact_of(
        conn, venue_id=booking_request["venue_id"], person_id=person_id
    )
    if contact is None:
        raise NotFound("This request no longer exists.", code="booking-request-not-found")
    return as_struct(RequestForContact)(booking_request), as_struct(Contact)(contact)


async def dates_of(conn: asyncpg.Connection, request_id: int) -> list[dates.BookingDate]:
    return dates.as_dates(await rows(queries.bookings_of_request(conn, request_id=request_id)))


async def clashes(conn: asyncpg.Connection, waiting: list[dates.BookingDate]) -> dict[int, dates.Holder]:
    """For each waiting date that another booking already holds the room for: that booking."""
    found = {}
    for booking in waiting:
        holder = await queries.holder_of(conn, venue_id=booking.venue_id, booking_id=booking.id)
        if holder is not None:
            found[booking.id] = as_struct(dates.Holder)(holder)
    return found


async def dates_for_contact(
    conn: asyncpg.Connection, clock: Clock, person_id: int
) -> list[dates.BookingDate]:
    """Every coming date a contact can answer: waiting ones to confirm or decline, confirmed ones
    to withdraw (the borrowers hear of it at once)."""
    return dates.as_dates(await rows(queries.dates_for_contact(conn, person_id=person_id, now=clock.now())))
