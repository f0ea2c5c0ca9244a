"""What the feeds context holds about a person: her calendar feeds (and those she made)."""

from __future__ import annotations

from services.feeds.queries import queries
from services.holdings import Holding, erased_by, exported_by

HOLDINGS = (
    Holding(
        "calendar_feeds",
        ("feed_subscriptions",),
        exported_by(queries.export_feeds),
        erase=erased_by(queries.revoke_feeds_of, at_now=True),
    ),
)
