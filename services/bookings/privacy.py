"""What the bookings context holds about a person: the rooms she answers for, the requests she
made, the dates she answered."""

from __future__ import annotations

from services.bookings.queries import queries
from services.holdings import Erasure, Holding, items


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_rooms(conn, person_id=person_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_room_contact(conn, person_id=erasure.person_id)


HOLDINGS = (
    Holding(
        "rooms_and_bookings",
        ("venue_contacts", "booking_requests", "bookings"),
        _export,
        erase=_erase,
        kept="requests and answers stay (the rooms' history), under her pseudonym",
    ),
)
