"""The "when I can help" form (weekly times and days away), shared by the coordinator's page for
a person and the volunteer's own page: rows of the form to the API's Availability contract and
back. Days away are whole local days in the organisation's time zone."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec

from schemas.common import FieldError
from schemas.scheduling import Availability
from services.problems import Unprocessable

_ROW = re.compile(r"\$\.(weekly|blackouts)\[(\d+)\]")


def _rows(form, *names: str) -> list[dict[str, str]]:
    """Repeated fields as rows; a row left empty is no row."""
    columns = [form.getall(name, []) for name in names]
    return [
        dict(zip(names, cells, strict=False))
        for cells in zip(*columns, strict=False)
        if any(c.strip() for c in cells)
    ]


def _time(typed: str) -> str:
    """A browser's time field sends 09:00; the contract reads 09:00:00."""
    return f"{typed}:00" if re.fullmatch(r"\d{2}:\d{2}", typed) else typed


def _midnight(day: str, zone: ZoneInfo, days_after: int = 0) -> str:
    try:
        moment = datetime.combine(date.fromisoformat(day) + timedelta(days=days_after), time(0), zone)
    except ValueError:
        return day  # left as typed: the contract refuses it and names the row
    return moment.isoformat()


def typed(form) -> dict:
    """The rows as typed, to show the form again when refused."""
    # "Same times on several days": one row per day ticked, all in one save.
    several = [
        {"weekday": day, "from": form.get("days_from", ""), "to": form.get("days_to", "")}
        for day in form.getall("days", [])
    ]
    return {
        "weekly": _rows(form, "weekday", "from", "to") + several,
        "away": _rows(form, "away_from", "away_until", "away_note"),
    }


def from_form(form, time_zone: str) -> Availability:
    """The form in the API's contract, checked by it (a refused row is named)."""
    zone = ZoneInfo(time_zone)
    weekly, away = typed(form).values()
    values = {
        "weekly": [
            {"weekday": r["weekday"], "start_local": _time(r["from"]), "end_local": _time(r["to"])}
            for r in weekly
        ],
        "blackouts": [
            {
                "starts_at": _midnight(r["away_from"], zone),
                "ends_at": _midnight(r["away_until"] or r["away_from"], zone, days_after=1),
                "note": r["away_note"],
            }
            for r in away
        ],
    }
    try:
        return msgspec.convert(values, Availability, strict=False)
    except msgspec.ValidationError as exc:
        at = _ROW.search(str(exc))
        field = f"{at[1]}[{at[2]}]" if at else "weekly"
        raise Unprocessable(
            str(exc), code="bad-form", errors=[FieldError(field=field, message=str(exc))]
        ) from None


def as_form(availability: Availability, time_zone: str) -> dict:
    """Saved availability as the form's rows."""
    zone = ZoneInfo(time_zone)
    return {
        "weekly": [
            {"weekday": str(s.weekday), "from": f"{s.start_local:%H:%M}", "to": f"{s.end_local:%H:%M}"}
            for s in availability.weekly
        ],
        "away": [
            {
                "away_from": b.starts_at.astimezone(zone).date().isoformat(),
                "away_until": (b.ends_at.astimezone(zone) - timedelta(seconds=1)).date().isoformat(),
                "away_note": b.note,
            }
            for b in availability.blackouts
        ],
    }
