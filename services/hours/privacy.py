"""What the hours context holds about a person: the hours she gave, month by month, and the
report links she shared."""

from __future__ import annotations

from services.holdings import Holding, erased_by, exported_by
from services.hours.queries import queries


async def _hours(conn, person_id: int, organisation_id: int | None) -> list:
    return [
        {"month": r["month"], "hours": float(r["hours"]), "dates": r["dates"]}
        async for r in queries.hours_by_month(conn, person_id=person_id, organisation_id=organisation_id)
    ]


HOLDINGS = (
    Holding("hours_by_month", (), _hours, kept="nothing of its own: read from her assignments"),
    Holding(
        "sessions_proofs_and_report_links",
        ("report_links",),
        exported_by(queries.export_report_links),
        erase=erased_by(queries.revoke_report_links_of, at_now=True),
    ),
)
