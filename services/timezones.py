from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from schemas.common import FieldError
from services.problems import Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {"time-in-gap": N_("That time does not exist that day: the clocks go forward. Choose another time.")}
)

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


def check_wall_clock(local: datetime, time_zone: str, field: str) -> None:
    """A time a person types must exist that day: in the spring-forward hour it does not. (The API
    reads such a time as RFC 5545 does, an hour later; a person is asked to choose.)"""
    zone = ZoneInfo(time_zone)
    if local.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        raise Unprocessable(
            f"{field}: {local:%Y-%m-%d %H:%M} does not exist in {time_zone} (the clocks go forward).",
            code="time-in-gap",
            errors=[FieldError(field=field, message="the clocks go forward over this time")],
        )
