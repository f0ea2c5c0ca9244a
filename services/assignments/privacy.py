"""What the assignments context holds about a person: her shifts and attendance (kept: her hours),
and the shifts she asked to hear about."""

from __future__ import annotations

from services.assignments.queries import queries
from services.holdings import Erasure, Holding, items


async def _shifts(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_assignments(conn, person_id=person_id, organisation_id=organisation_id))


async def _watches(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_watches(conn, person_id=person_id))


async def _erase_watches(conn, erasure: Erasure) -> None:
    await queries.erase_watches(conn, person_id=erasure.person_id)


HOLDINGS = (
    Holding(
        "assignments_and_attendance",
        ("assignments",),
        _shifts,
        kept="her past shifts stay: the hours she gave (her coming ones are withdrawn first)",
    ),
    Holding("watches_check_ins_duty", ("shift_watches",), _watches, erase=_erase_watches),
)
