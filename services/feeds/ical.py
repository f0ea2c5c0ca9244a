"""Writing RFC 5545 text by hand: the renderer must be fast (the icalendar library takes ~70 ms for
500 events here), so each event is written once per version and cached. Independent parsers
(icalendar, recurring-ical-events, ical.js) check the output in the tests."""

from __future__ import annotations

from datetime import UTC, datetime

CRLF = "\r\n"


def escape(text: str) -> str:
    """TEXT values: backslash, semicolon, comma and newlines escaped (RFC 5545 §3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space, never inside a
    UTF-8 character (§3.1)."""
    raw = line.encode()
    if len(raw) <= 75:
        return line + CRLF
    parts = []
    start, limit = 0, 75
    while start < len(raw):
        end = min(start + limit, len(raw))
        while end < len(raw) and (raw[end] & 0xC0) == 0x80:  # do not cut a character in two
            end -= 1
        parts.append(raw[start:end].decode())
        start, limit = end, 74  # continuation lines start with a space
    return (CRLF + " ").join(parts) + CRLF


def utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def prop(name: str, value: str) -> str:
    return fold(f"{name}:{value}")


def text(name: str, value: str) -> str:
    return fold(f"{name}:{escape(value)}")
