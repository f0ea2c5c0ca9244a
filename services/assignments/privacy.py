"""What the assignments context holds about a person: her shifts and attendance (kept: her hours),
and the shifts she asked to hear about."""

from __future__ import annotations

from services.assignments.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "assignments_and_attendance",
        ("assignments",),
        exported_by(queries.export_assignments),
        kept="her past shifts stay: the hours she gave (her coming ones are withdrawn first)",
    ),
    Holding(
        "watches_check_ins_duty",
        ("shift_watches",),
        exported_by(queries.export_watches, scoped=False),
        erase=erased_by(queries.erase_watches),
    ),
)
