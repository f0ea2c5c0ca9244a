"""What check-ins hold about a person: her check-ins after visits, and her on-duty days."""

from __future__ import annotations

from services.checkins.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "watches_check_ins_duty",
        ("check_ins", "on_duty"),
        exported_by(queries.export_check_ins_and_duty, scoped=False),
        erase=erased_by(queries.erase_duty),
        kept="check-ins stay: that a visit ended safely",
    ),
)
