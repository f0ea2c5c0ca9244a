"""Reading a spreadsheet of volunteers: its columns found by name in any of our languages, each row
checked (name, number, language, consent, qualifications) before anything is saved, with each
problem in the reader's words."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from schemas.common import FieldError
from schemas.people import QualificationType
from services.people.phones import BadPhone, normalise_phone
from services.problems import Unprocessable, refusals
from services.words import N_, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "csv-encoding": N_("The file is not UTF-8 text; save it from the spreadsheet as 'CSV UTF-8'."),
        "csv-empty": N_("The file is empty."),
        "csv-header": N_("The first row must name the columns, at least name and phone."),
        "csv-too-long": N_("At most 5,000 people can be imported at once."),
    }
)

MAX_ROWS = 5000


_COLUMNS = {
    "name": {"name", "display_name", "namn", "navn", "jméno", "jmeno"},
    "phone": {"phone", "mobile", "telefon", "mobil", "telefonnummer", "tel", "telefonní číslo"},
    "language": {"language", "lang", "språk", "sprak", "jazyk"},
    "qualifications": {"qualifications", "kvalifikationer", "kvalifikasjoner", "kvalifikace"},
    "sms": {"sms", "sms_consent", "sms consent"},
}


# What a column is called on a page (the sheet may use any of the names above).
COLUMN_WORDS = {
    "name": N_("name"),
    "phone": N_("phone"),
    "language": N_("language"),
    "qualifications": N_("qualifications"),
    "sms": N_("sms"),
}


_LANGUAGES = {"sv": "sv", "nb": "nb", "no": "nb", "cs": "cs", "cz": "cs", "en": "en"}


_YES = {"yes", "y", "ja", "j", "ano", "a", "1", "true", "x"}


_NO = {"no", "n", "nej", "nei", "ne", "0", "false", ""}


_UNTIL = re.compile(r"^(?P<name>.+?)\s+until\s+(?P<date>\d{4}-\d{2}-\d{2})$", re.IGNORECASE)


@dataclass
class Row:
    number: int
    name: str
    phone: str
    language: str
    sms_consent: bool
    qualifications: list[tuple[int, date | None]] = field(default_factory=list)


def read_table(data: bytes) -> list[tuple[int, dict[str, str]]]:
    """(spreadsheet row number, {column: text}) for every non-empty data row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unprocessable(
            "The file is not UTF-8 text; export it from the spreadsheet as 'CSV UTF-8'.", code="csv-encoding"
        ) from None
    if not text.strip():
        raise Unprocessable("The file is empty.", code="csv-empty")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    header = [h.strip().casefold() for h in next(reader)]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for column, names in _COLUMNS.items():
            if title in names:
                columns[column] = index
    missing = [c for c in ("name", "phone") if c not in columns]
    if missing:
        raise Unprocessable(
            f"The first row must name the columns; missing: {', '.join(missing)}.", code="csv-header"
        )
    table = []
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        table.append(
            (number, {col: cells[i].strip() if i < len(cells) else "" for col, i in columns.items()})
        )
        if len(table) > MAX_ROWS:
            raise Unprocessable(f"At most {MAX_ROWS} people can be imported at once.", code="csv-too-long")
    return table


def _held(text: str, known: dict[str, QualificationType], error) -> list[tuple[int, date | None]]:
    """The qualifications a row names ("Driving licence until 2027-05-01; First aid")."""
    held: list[tuple[int, date | None]] = []
    for item in re.split(r"[;|,]", text):
        item = " ".join(item.split())
        if not item:
            continue
        until: date | None = None
        match = _UNTIL.match(item)
        if match:
            item = match.group("name")
            try:
                until = date.fromisoformat(match.group("date"))
            except ValueError:
                error("qualifications", N_("{text} is not a date"), text=match.group("date"))
                continue
        qualification = known.get(item.casefold())
        if qualification is None:
            names = ", ".join(sorted(r.name for r in known.values())) or "–"
            error(
                "qualifications",
                N_("unknown qualification {name} (known: {names})"),
                name=repr(item),
                names=names,
            )
            continue
        held.append((qualification.id, until))
    return held


def _check_row(
    number: int,
    cells: dict[str, str],
    organisation: asyncpg.Record,
    known: dict[str, QualificationType],
    words: str,
) -> tuple[Row | None, list[FieldError]]:
    """One row read, or its problems in the reader's language (words)."""
    errors: list[FieldError] = []

    def error(at: str, message: str, **values: str) -> None:
        errors.append(FieldError(row=number, field=at, message=translate(words, message).format(**values)))

    for column, text in cells.items():
        if "\x00" in text:  # an invisible control character PostgreSQL cannot store
            error(column, N_("{column} contains a NUL character; remove it and export again"), column=column)
    if errors:
        return None, errors

    name = " ".join(cells["name"].split())
    if not name:
        error("name", N_("name is empty"))
    elif len(name) > 200:
        error("name", N_("name is longer than 200 characters"))
    phone = ""
    try:
        phone = normalise_phone(cells["phone"], organisation.country) if cells["phone"] else ""
        if not phone:
            error("phone", N_("phone is empty"))
    except BadPhone:
        error(
            "phone",
            N_("{phone} is not a phone number of {country} or in international form (+..)"),
            phone=repr(cells["phone"]),
            country=organisation.country,
        )
    raw_language = cells.get("language", "").casefold()
    language = _LANGUAGES.get(raw_language) if raw_language else organisation.default_language
    if language is None:
        error(
            "language",
            N_("unknown language {language}; use sv, nb, cs or en"),
            language=repr(cells["language"]),
        )
    raw_sms = cells.get("sms", "").casefold()
    if raw_sms not in _YES | _NO:
        error("sms", N_("write yes or no, not {text}"), text=repr(cells["sms"]))
    held = _held(cells.get("qualifications", ""), known, error)
    if errors:
        return None, errors
    return Row(number, name, phone, language, raw_sms in _YES, held), []


def checked_rows(table, organisation, known, words: str) -> tuple[list[Row], list[FieldError]]:
    """Every row checked; a phone number that stands twice is an error of the later row."""
    valid: list[Row] = []
    errors: list[FieldError] = []
    first_row_of_phone: dict[str, int] = {}
    for number, cells in table:
        row, row_errors = _check_row(number, cells, organisation, known, words)
        if row is not None and row.phone in first_row_of_phone:
            row_errors = [
                FieldError(
                    row=number,
                    field="phone",
                    message=translate(words, N_("same phone number as row {row}")).format(
                        row=first_row_of_phone[row.phone]
                    ),
                )
            ]
            row = None
        if row is None:
            errors.extend(row_errors)
            continue
        first_row_of_phone[row.phone] = number
        valid.append(row)
    return valid, errors
