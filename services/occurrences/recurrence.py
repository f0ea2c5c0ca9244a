"""RFC 5545 recurrence in local wall-clock time.

A series is expanded as naive local datetimes (so a 10:00 Tuesday pickup is 10:00 in winter and
summer), then each is placed on the time line in the activity's zone. zoneinfo's fold=0 is exactly
RFC 5545 §3.3.5: a local time in a spring-forward gap is read with the offset before the gap
(02:30 → 03:30 summer time), and a repeated autumn time means its first occurrence.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil.rrule import rrule, rrulestr

# Finer rules would make thousands of rows per series; volunteer work is daily at most.
ALLOWED_FREQ = {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"}


class BadRecurrence(ValueError):
    pass


@dataclass(frozen=True)
class Series:
    start_local: datetime  # naive
    duration: timedelta
    time_zone: str
    rrule: str | None = None
    rdates: tuple[datetime, ...] = ()
    exdates: tuple[datetime, ...] = ()
    ends_on: date | None = None


@dataclass(frozen=True)
class Instance:
    local_date: date
    start_local: datetime
    starts_at: datetime  # UTC
    ends_at: datetime  # UTC


def parse_rule(text: str, start_local: datetime, time_zone: str = "UTC") -> rrule:
    """An RRULE value (FREQ=WEEKLY;BYDAY=TU,FR;UNTIL=…), checked and bound to the local start."""
    body = text.strip().removeprefix("RRULE:")
    parts = dict(p.split("=", 1) for p in body.upper().split(";") if "=" in p)
    if parts.get("FREQ") not in ALLOWED_FREQ:
        raise BadRecurrence("FREQ must be DAILY, WEEKLY, MONTHLY or YEARLY")
    if "COUNT" in parts and "UNTIL" in parts:
        raise BadRecurrence("use COUNT or UNTIL, not both")
    if parts.get("UNTIL", "").endswith("Z"):
        # Expansion runs in local wall-clock time, so a UTC UNTIL becomes the same instant's
        # local time in the activity's zone.
        try:
            until = datetime.strptime(parts["UNTIL"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
        except ValueError:
            raise BadRecurrence("UNTIL must look like 20260630T220000Z or 20260630") from None
        local_until = until.astimezone(ZoneInfo(time_zone)).replace(tzinfo=None)
        body = body.upper().replace(parts["UNTIL"], f"{local_until:%Y%m%dT%H%M%S}")
    try:
        rule = rrulestr(body, dtstart=start_local)
    except (ValueError, TypeError) as exc:
        raise BadRecurrence(f"not a valid RRULE: {exc}") from None
    if not isinstance(rule, rrule):
        raise BadRecurrence("give one RRULE; put extra dates in rdates and exdates")
    return rule


def to_instant(local: datetime, zone: ZoneInfo) -> datetime:
    return local.replace(tzinfo=zone, fold=0).astimezone(UTC)


def expand(series: Series, first: date, last: date) -> list[Instance]:
    """Every instance whose local date lies in [first, last], at most one per date."""
    zone = ZoneInfo(series.time_zone)
    low = datetime.combine(first, datetime.min.time())
    high = datetime.combine(last, datetime.max.time())
    if series.ends_on is not None:
        high = min(high, datetime.combine(series.ends_on, datetime.max.time()))
    starts: set[datetime] = set()
    if series.rrule:
        starts.update(
            parse_rule(series.rrule, series.start_local, series.time_zone).between(low, high, inc=True)
        )
    elif low <= series.start_local <= high:
        starts.add(series.start_local)
    starts.update(d for d in series.rdates if low <= d <= high)
    excluded = set(series.exdates)
    excluded_dates = {d.date() for d in series.exdates}
    by_date: dict[date, datetime] = {}
    for start in sorted(starts):
        if start in excluded or start.date() in excluded_dates:
            continue
        by_date.setdefault(start.date(), start)
    out = []
    for day, start in sorted(by_date.items()):
        begins = to_instant(start, zone)
        # A duration is elapsed time (RFC 5545 §3.3.6): 90 minutes from 01:30 on the spring
        # change ends at 04:00 summer time, not at 03:00 wall-clock.
        out.append(Instance(day, start, begins, begins + series.duration))
    return out


def remaining_count(series: Series, from_date: date) -> int | None:
    """For a COUNT rule split at from_date: how many instances the new part keeps."""
    if not series.rrule or "COUNT=" not in series.rrule.upper():
        return None
    rule = parse_rule(series.rrule, series.start_local, series.time_zone)
    return sum(1 for start in rule if start.date() >= from_date)
