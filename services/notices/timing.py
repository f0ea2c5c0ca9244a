"""When a notice may arrive: not in a person's quiet hours (21:00-08:00 in her zone) unless what it
is about comes before the morning."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

QUIET_FROM, QUIET_UNTIL = time(21, 0), time(8, 0)


def outside_quiet_hours(due: datetime, starts_at: datetime, time_zone: str) -> datetime:
    local = due.astimezone(ZoneInfo(time_zone))
    if QUIET_UNTIL <= local.time() < QUIET_FROM:
        return due
    morning = local.date() + (timedelta(days=1) if local.time() >= QUIET_FROM else timedelta())
    window = datetime.combine(morning, QUIET_UNTIL, tzinfo=ZoneInfo(time_zone))
    # The shift starts before the morning window: better a late-evening text than none.
    return window if window < starts_at else due
