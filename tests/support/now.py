"""The instant every test stands at, and the processes it starts: VOLOPS_TEST_NOW (ISO 8601;
without an offset it is Stockholm time), else Monday 2 March 2026, 10:00 in Stockholm. Never the
hour at which the suite happens to run."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from zoneinfo import ZoneInfo


def instant(text: str) -> datetime:
    """ISO 8601; without an offset it is Stockholm time."""
    at = datetime.fromisoformat(text)
    return (at if at.tzinfo else at.replace(tzinfo=ZoneInfo("Europe/Stockholm"))).astimezone(UTC)


SUITE_NOW = instant(os.environ.get("VOLOPS_TEST_NOW") or "2026-03-02T10:00")
