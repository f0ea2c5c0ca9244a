"""What the qualifications context holds about a person: her qualifications (and those she recorded)."""

from __future__ import annotations

from services.holdings import Erasure, Holding, items
from services.qualifications.queries import queries


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(
        queries.export_qualifications(conn, person_id=person_id, organisation_id=organisation_id)
    )


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_qualifications(conn, person_id=erasure.person_id)


HOLDINGS = (Holding("qualifications", ("person_qualifications",), _export, erase=_erase),)
