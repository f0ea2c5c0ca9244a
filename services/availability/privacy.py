"""What the availability context holds about a person: her weeks and her days away."""

from __future__ import annotations

from services.availability.queries import queries
from services.holdings import Erasure, Holding, items


async def _weeks(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_availability(conn, person_id=person_id))


async def _days_away(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_blackouts(conn, person_id=person_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_availability(conn, person_id=erasure.person_id)


HOLDINGS = (
    Holding("availability", ("availability",), _weeks, erase=_erase),
    Holding("days_away", ("blackouts",), _days_away, kept="nothing: erased with her weeks"),
)
