"""One booking per date: how a date reads, the link a contact answers from, and when a date still
waits for an answer (one rule, for the SMS, the link, the contacts' page and the reminders)."""

from __future__ import annotations

from datetime import date, datetime

import asyncpg
import msgspec

from schemas.bookings import Booking
from services.access import links
from services.db import as_struct

BOOKING_LINK = "booking"  # what a partner contact's link opens: /b/<signed request and person>


class BookingDate(msgspec.Struct, frozen=True, kw_only=True):
    """One date of a room request as pages and answers need it; what a query does not read stays None."""

    id: int
    status: str
    request_id: int | None = None
    venue_id: int | None = None
    occurrence_id: int | None = None
    local_date: date | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    title: str | None = None
    venue_name: str | None = None
    borrower_name: str | None = None
    venue_organisation_id: int | None = None
    time_zone: str | None = None
    answered_by_name: str | None = None
    answered_at: datetime | None = None
    change: str | None = None  # moved / cancelled on the borrower's side


class Holder(msgspec.Struct, frozen=True, kw_only=True):
    """The confirmed booking that holds a room when another date asks for it."""

    id: int
    title: str
    local_date: date
    borrower_name: str


def as_booking(row: asyncpg.Record) -> Booking:
    return as_struct(Booking)(row)


def as_dates(records: list[asyncpg.Record]) -> list[BookingDate]:
    return [as_struct(BookingDate)(row) for row in records]


async def booking_link(
    conn: asyncpg.Connection, public_base: str, request_id: int, person_id: int, until
) -> str:
    """The page where one contact answers a request date by date, valid until its last date ends."""
    return f"{public_base}/b/{await links.sign(conn, BOOKING_LINK, (request_id, person_id), until)}"


def still_waiting(dates: list[BookingDate], now: datetime) -> list[BookingDate]:
    """The rule for "waiting for an answer", written once: a date asked for, not answered, and
    not begun (a date gone by waits for nobody)."""
    return [b for b in dates if b.status == "requested" and b.starts_at > now]
