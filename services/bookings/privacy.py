"""What the bookings context holds about a person: the rooms she answers for, the requests she
made, the dates she answered."""

from __future__ import annotations

from services.bookings.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "rooms_and_bookings",
        ("venue_contacts", "booking_requests", "bookings"),
        exported_by(queries.export_rooms, scoped=False),
        erase=erased_by(queries.erase_room_contact),
        kept="requests and answers stay (the rooms' history), under her pseudonym",
    ),
)
