"""One booking per date: how a date reads, the link a contact answers from, and when a date still
waits for an answer (one rule, for the SMS, the link, the contacts' page and the reminders)."""

from __future__ import annotations

import asyncpg

from schemas.bookings import Booking
from services.access import links
from services.db import as_struct

BOOKING_LINK = "booking"  # what a partner contact's link opens: /b/<signed request and person>


def as_booking(row: asyncpg.Record) -> Booking:
    return as_struct(Booking)(row)


async def booking_link(
    conn: asyncpg.Connection, public_base: str, request_id: int, person_id: int, until
) -> str:
    """The page where one contact answers a request date by date, valid until its last date ends."""
    return f"{public_base}/b/{await links.sign(conn, BOOKING_LINK, (request_id, person_id), until)}"


def still_waiting(dates: list, now) -> list:
    """The rule for "waiting for an answer", written once: a date asked for, not answered, and
    not begun (a date gone by waits for nobody)."""
    return [b for b in dates if b["status"] == "requested" and b["starts_at"] > now]
