"""What the qualifications context holds about a person: her qualifications (and those she recorded)."""

from __future__ import annotations

from services.holdings import Holding, erased_by, exported_by
from services.qualifications.queries import queries

HOLDINGS = (
    Holding(
        "qualifications",
        ("person_qualifications",),
        exported_by(queries.export_qualifications),
        erase=erased_by(queries.erase_qualifications),
    ),
)
