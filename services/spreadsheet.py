"""CSV files people open in a spreadsheet. A cell that begins with =, +, -, @, a tab or a carriage
return is a formula to Excel, LibreOffice and Google Sheets (a volunteer named
`=HYPERLINK("http://…")` would become a link in the coordinator's sheet), so such text is written
with a leading apostrophe, which the spreadsheet shows as plain text (OWASP: CSV injection).
Numbers stay numbers; empty stays empty."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

import msgspec

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A value as a spreadsheet should show it: text as text (never as a formula), nothing as an
    empty cell, numbers as they are, the rest as JSON."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = value if isinstance(value, str) else msgspec.json.encode(value).decode()
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: list[str], rows: Iterable[Iterable[Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([cell(h) for h in header])
    for row in rows:
        writer.writerow([cell(v) for v in row])
    return out.getvalue()
