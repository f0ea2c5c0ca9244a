"""What the audit trail holds about a person: changes she made and changes to her own rows. It is
append-only: erasure replaces her name with her pseudonym (last, so that the erasure's own rows
are scrubbed too), and retention deletes rows past the organisation's time."""

from __future__ import annotations

import msgspec

from services.audit.queries import queries
from services.holdings import Erasure, Holding, exported_by, purged_by


def _json_text(text: str) -> str:
    """How a text is written inside JSON (quotes and backslashes escaped), to find it in the trail."""
    return msgspec.json.encode(text).decode()[1:-1]


async def _erase(conn, erasure: Erasure) -> None:
    await queries.scrub_trail(
        conn,
        person_id=erasure.person_id,
        name=_json_text(erasure.name),
        pseudonym=_json_text(erasure.pseudonym),
    )


HOLDINGS = (
    Holding(
        "audit_trail",
        ("audit_log",),
        exported_by(queries.export_audit),
        erase=_erase,
        purge=purged_by(queries.purge_trail),
        purged_as="trail_deleted",
        kept="every event stays, without her name",
    ),
)
