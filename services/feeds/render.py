"""Feed rows → iCalendar text. One VEVENT per occurrence (no RRULE: expanders disagree around
daylight-saving changes), times in UTC, each event cached by everything that goes into it."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from datetime import datetime

import asyncpg
import msgspec

from services.feeds import ical
from services.feeds.texts import words
from services.places.service import hidden_address

PRODID = "-//volops//volunteer shifts//EN"
MAX_EVENTS_CACHED = 100_000


class EventCache:
    """Rendered VEVENT text by its inputs: an edit renders one event again, not the feed."""

    def __init__(self, size: int = MAX_EVENTS_CACHED) -> None:
        self._events: OrderedDict[tuple, str] = OrderedDict()
        self._size = size

    def get(self, key: tuple, render) -> str:
        text = self._events.get(key)
        if text is None:
            text = render()
            self._events[key] = text
            if len(self._events) > self._size:
                self._events.popitem(last=False)
        return text


def _key(kind: str, language: str, public_url: str, row: asyncpg.Record) -> tuple:
    return (kind, language, public_url, *(tuple(v) if isinstance(v, list) else v for v in row.values()))


def _place(name: str | None, address: str | None, protected: bool, language: str) -> str:
    """A protected place never leaves the service: its name and the hidden-address text only."""
    if name is None:
        return ""
    if protected:
        return f"{name} – {hidden_address(language)}"
    return f"{name}, {address}" if address else name


def _location(row: asyncpg.Record, language: str) -> str:
    return _place(row["place_name"], row["place_address"], row["protected"], language)


def _begin(uid: str, changed_at: datetime, row: asyncpg.Record) -> list[str]:
    """An event's first lines: which one it is, when it last changed, when it takes place."""
    stamp = ical.utc(changed_at)
    return [
        "BEGIN:VEVENT\r\n",
        ical.prop("UID", uid),
        ical.prop("DTSTAMP", stamp),
        ical.prop("LAST-MODIFIED", stamp),
        ical.prop("DTSTART", ical.utc(row["starts_at"])),
        ical.prop("DTEND", ical.utc(row["ends_at"])),
    ]


def _event(
    row: asyncpg.Record, summary: str, description: str, language: str, url: str, changed_at: datetime
) -> str:
    lines = [
        *_begin(f"occurrence-{row['id']}@volops", changed_at, row),
        ical.prop("SEQUENCE", str(row["sequence"])),
        ical.prop("STATUS", "CANCELLED" if row["status"] == "cancelled" else "CONFIRMED"),
        ical.text("SUMMARY", summary),
    ]
    if description:
        lines.append(ical.text("DESCRIPTION", description))
    location = _location(row, language)
    if location:
        lines.append(ical.text("LOCATION", location))
    lines.append(ical.prop("URL", url))
    lines.append("END:VEVENT\r\n")
    return "".join(lines)


def _occurrence_event(row: asyncpg.Record, summary: str, lines: list[str], language: str, url: str) -> str:
    return _event(row, summary, "\n".join(lines), language, url, row["changed_at"])


def shift_url(public_url: str, occurrence_id: int) -> str:
    """Where a volunteer's calendar event leads: the shift on her own page."""
    return f"{public_url}/my/shifts/{occurrence_id}"


def personal_event(row: asyncpg.Record, language: str, public_url: str, cache: EventCache) -> str:
    key = _key("personal", language, public_url, row)
    t = words(language)

    def render() -> str:
        details = [t["role"].format(role=row["role_name"])]
        if row["co_volunteers"]:
            details.append(t["with"].format(names=", ".join(row["co_volunteers"])))
        if row["kind"] == "outreach_visit":
            details.append(t["pair"])
        if row["dropoff_name"]:
            where = _place(row["dropoff_name"], row["dropoff_address"], row["dropoff_protected"], language)
            details.append(t["dropoff"].format(place=where))
        if row["description"]:
            details.append(row["description"])
        summary = f"{row['title']} ({row['role_name']})"
        if row["status"] == "cancelled":
            summary = f"{t['cancelled']}: {summary}"
        return _occurrence_event(row, summary, details, language, shift_url(public_url, row["id"]))

    return cache.get(key, render)


def staffed_event(
    row: asyncpg.Record, language: str, public_url: str, cache: EventCache, *, open_only: bool
) -> str:
    key = _key("open" if open_only else "staffed", language, public_url, row)
    t = words(language)

    def render() -> str:
        roles = msgspec.json.decode(row["staffing"] or "[]")
        lines = []
        missing = []
        for role in roles:
            short = max(role["min"] - role["taken"], 0)
            state = t["needs"].format(n=short) if short else t["staffed"]
            lines.append(f"{role['name']} {role['taken']}/{role['max']} – {state}")
            if role["taken"] < role["max"]:
                missing.append(role["name"])
        if row["participant_capacity"] is not None:
            lines.append(t["participants"].format(n=row["participant_capacity"]))
        if row["description"]:
            lines.append(row["description"])
        needs = sum(max(r["min"] - r["taken"], 0) for r in roles)
        if open_only:
            summary = f"{row['title']} – {t['open'].format(roles=', '.join(missing))}"
        else:
            summary = f"{row['title']} – {t['needs'].format(n=needs) if needs else t['staffed']}"
        if row["status"] == "cancelled":
            summary = f"{t['cancelled']}: {row['title']}"
        # The whole organisation's calendar is the coordinators': its events open the board.
        url = shift_url(public_url, row["id"]) if open_only else f"{public_url}/board/occurrences/{row['id']}"
        return _occurrence_event(row, summary, lines, language, url)

    return cache.get(key, render)


def venue_event(row: asyncpg.Record, cache: EventCache) -> str:
    """A confirmed booking of the partner's room: the activity's title and who borrows it; never
    participants, never an address the venue keeps protected."""

    def render() -> str:
        location = row["venue_name"]
        if row["venue_address"] and not row["protected"]:
            location += f", {row['venue_address']}"
        return "".join(
            [
                *_begin(f"booking-{row['id']}@volops", row["answered_at"], row),
                ical.prop("STATUS", "CONFIRMED"),
                ical.text("SUMMARY", f"{row['title']} – {row['borrower_name']}"),
                ical.text("LOCATION", location),
                "END:VEVENT\r\n",
            ]
        )

    return cache.get(_key("venue", "", "", row), render)


def calendar(name: str, events: Iterable[str]) -> str:
    head = (
        "BEGIN:VCALENDAR\r\n"
        "VERSION:2.0\r\n" + ical.prop("PRODID", PRODID) + "CALSCALE:GREGORIAN\r\n"
        "METHOD:PUBLISH\r\n" + ical.text("X-WR-CALNAME", name) + "REFRESH-INTERVAL;VALUE=DURATION:PT1H\r\n"
        "X-PUBLISHED-TTL:PT1H\r\n"
    )
    return head + "".join(events) + "END:VCALENDAR\r\n"
