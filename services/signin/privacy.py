"""What sign-in holds about a person: the codes sent to her number (never the codes themselves)."""

from __future__ import annotations

from datetime import timedelta

from services.holdings import Holding, erased_by, exported_by, purged_by
from services.signin.queries import queries

CODES_KEPT = timedelta(days=1)  # their limits look back an hour

HOLDINGS = (
    Holding(
        "sign_in_codes",
        ("sign_in_codes",),
        exported_by(queries.export_sign_in_codes),
        erase=erased_by(queries.erase_sign_in_codes),
        purge=purged_by(queries.purge_sign_in_codes, kept=CODES_KEPT),
        purged_as="codes_deleted",
    ),
)
