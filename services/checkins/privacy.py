"""What check-ins hold about a person: her check-ins after visits, and her on-duty days."""

from __future__ import annotations

from services.checkins.queries import queries
from services.holdings import Erasure, Holding, items


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_check_ins_and_duty(conn, person_id=person_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_duty(conn, person_id=erasure.person_id)


HOLDINGS = (
    Holding(
        "watches_check_ins_duty",
        ("check_ins", "on_duty"),
        _export,
        erase=_erase,
        kept="check-ins stay: that a visit ended safely",
    ),
)
