"""What the availability context holds about a person: her weeks and her days away."""

from __future__ import annotations

from services.availability.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "availability",
        ("availability",),
        exported_by(queries.export_availability, scoped=False),
        erase=erased_by(queries.erase_availability),
    ),
    Holding(
        "days_away",
        ("blackouts",),
        exported_by(queries.export_blackouts, scoped=False),
        kept="nothing: erased with her weeks",
    ),
)
