"""What access holds about a person: her tokens and page links, and her sessions."""

from __future__ import annotations

from services.access.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "tokens_and_links",
        ("api_tokens",),
        exported_by(queries.export_tokens),
        erase=erased_by(queries.revoke_everything_of, at_now=True),
    ),
    Holding(
        "sessions_proofs_and_report_links",
        ("sessions",),
        exported_by(queries.export_sessions),
        kept="ended with her tokens",
    ),
)
