from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from schemas.common import FieldError
from services.problems import Unprocessable

_KNOWN = frozenset(available_timezones())


def check_time_zone(name: str, field: str = "time_zone") -> ZoneInfo:
    """An IANA zone such as Europe/Stockholm; schedules keep wall-clock time in it."""
    if name in _KNOWN:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise Unprocessable(
        f"{name!r} is not a time zone; use an IANA name such as Europe/Stockholm.",
        code="bad-time-zone",
        errors=[FieldError(field=field, message="unknown time zone")],
    )
