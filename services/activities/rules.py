"""How a series is written: the weekly rule built from plain choices (weekdays, every N weeks, N
times or until a date) and read back into them, and the checks a new series passes before any
date exists."""

from __future__ import annotations

import re
from datetime import date, timedelta

from schemas.common import FieldError
from schemas.scheduling import ActivityCreate, RoleSpec
from services.occurrences.recurrence import BadRecurrence, Instance, Series, expand, parse_rule
from services.occurrences.staffing import PAIR_KINDS
from services.problems import Unprocessable, refusals
from services.timezones import check_time_zone
from services.words import N_

REFUSALS = refusals(
    {
        "duplicate-role": N_("Two roles have the same name."),
        "bad-role": N_("{role}: the least number is more than the most."),
        "pair-rule": N_("An outreach visit needs at least two people in all: never one alone."),
        "ends-before-start": N_("The end date is before the first date."),
        "no-weekdays": N_("Choose at least one weekday."),
        "both-ends": N_("Give an end date or a number of times, not both."),
    }
)


def refused(field: str, message: str, code: str, names: dict[str, str] | None = None) -> Unprocessable:
    return Unprocessable(
        f"{field}: {message}", code=code, errors=[FieldError(field=field, message=message)], names=names
    )


def check_roles(kind: str, roles: list[RoleSpec]) -> None:
    """What a new series' roles must be before any date exists: the preview and saving alike."""
    names = [r.name.casefold() for r in roles]
    if len(set(names)) != len(names):
        raise refused("roles", "two roles have the same name", "duplicate-role")
    for role in roles:
        if role.min_people > role.max_people:
            raise refused(
                "roles", f"{role.name}: min_people is more than max_people", "bad-role", {"role": role.name}
            )
    if kind in PAIR_KINDS and sum(r.min_people for r in roles) < 2:
        raise refused(
            "roles", "an outreach visit needs at least two people in all (never one alone)", "pair-rule"
        )


def check_series(series: Series) -> None:
    check_time_zone(series.time_zone)
    until = re.search(r"UNTIL=(\d{8})", (series.rrule or "").upper())
    if until and until[1] < f"{series.start_local:%Y%m%d}":
        raise refused("until", "the series would end before it starts", "ends-before-start")
    if series.rrule:
        try:
            parse_rule(series.rrule, series.start_local, series.time_zone)
        except BadRecurrence as exc:
            raise refused("rrule", str(exc), "bad-rrule") from None


WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def weekly_rule(
    weekdays: list[str], every_weeks: int = 1, times: int | None = None, until: date | None = None
) -> str:
    """The RRULE for "these weekdays, every N weeks, N times or until a date": built here from
    plain choices, so a coordinator never types one."""
    if not weekdays or not set(weekdays) <= set(WEEKDAYS):
        raise refused("weekdays", "choose at least one weekday", "no-weekdays")
    if times is not None and until is not None:
        raise refused("until", "give an end date or a number of times, not both", "both-ends")
    parts = ["FREQ=WEEKLY", f"BYDAY={','.join(d for d in WEEKDAYS if d in weekdays)}"]
    if every_weeks > 1:
        parts.append(f"INTERVAL={every_weeks}")
    if times is not None:
        parts.append(f"COUNT={times}")
    if until is not None:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)


def plain_rule(rrule: str | None, start: date) -> dict | None:
    """A weekly rule as a form's choices (weekdays, every N weeks, N times or until a date); None
    when there is no rule or it says more than those choices can (the page then leaves it alone)."""
    if not rrule:
        return None
    parts = dict(p.split("=", 1) for p in rrule.upper().split(";") if "=" in p)
    if parts.get("FREQ") != "WEEKLY" or set(parts) - {"FREQ", "BYDAY", "INTERVAL", "COUNT", "UNTIL"}:
        return None
    until = parts.get("UNTIL", "")
    try:
        return {
            "weekdays": parts["BYDAY"].split(",") if "BYDAY" in parts else [WEEKDAYS[start.weekday()]],
            "every_weeks": int(parts.get("INTERVAL", 1)),
            "times": int(parts["COUNT"]) if "COUNT" in parts else None,
            "until": date(int(until[:4]), int(until[4:6]), int(until[6:8])) if until else None,
        }
    except (ValueError, IndexError):
        return None


def new_series(data: ActivityCreate) -> Series:
    """The series a new activity asks for, checked."""
    series = Series(
        data.start_local,
        timedelta(minutes=data.duration_minutes),
        data.time_zone,
        data.rrule,
        tuple(data.rdates),
        tuple(data.exdates),
    )
    check_series(series)
    return series


def next_dates(data: ActivityCreate, how_many: int = 8) -> list[Instance]:
    """The first dates a new series would get, before it is saved: wall-clock times stay put
    across a daylight-saving change, durations are elapsed time."""
    check_roles(data.kind, data.roles)
    series = new_series(data)
    first = data.start_local.date()
    return expand(series, first, first + timedelta(weeks=104))[:how_many]
