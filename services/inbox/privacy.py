"""What the inbox holds about a person: the texts she sent us."""

from __future__ import annotations

from services.holdings import Holding, erased_by, exported_by, purged_by
from services.inbox.queries import queries

HOLDINGS = (
    Holding(
        "sms_received",
        ("sms_replies",),
        exported_by(queries.export_sms_received),
        erase=erased_by(queries.erase_replies),
        purge=purged_by(queries.purge_replies),
        purged_as="replies_purged",
    ),
)
