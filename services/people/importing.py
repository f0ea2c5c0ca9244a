"""Volunteer import from a spreadsheet export (CSV).

Columns (header names in English, Swedish, Norwegian or Czech; order free): name, phone,
language (sv/nb/cs/en, default: the organisation's), qualifications ("Police certificate until
2027-05-01; Driving licence"), sms (yes/no consent, default no). Row numbers in reports are the
spreadsheet's: the header is row 1. All rows are checked before anything is written; the phone
number is the key within the organisation, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

import asyncpg

from schemas.common import FieldError
from schemas.people import ImportReport, QualificationType
from services.access.service import Access
from services.clock import Clock
from services.db import rows
from services.people import page_link
from services.people import service as people
from services.people.phones import BadPhone, normalise_phone
from services.people.queries import queries
from services.problems import Unprocessable, refusals
from services.qualifications import service as qualifications
from services.words import N_, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "import-rows-invalid": N_(
            "Nothing was imported. Fix the rows below in the spreadsheet, or tick 'leave out the rows with problems'."
        ),
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
class _Row:
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
) -> tuple[_Row | None, list[FieldError]]:
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
    return _Row(number, name, phone, language, raw_sms in _YES, held), []


def _checked_rows(table, organisation, known, words: str) -> tuple[list[_Row], list[FieldError]]:
    """Every row checked; a phone number that stands twice is an error of the later row."""
    valid: list[_Row] = []
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


async def _save_changes(conn, clock: Clock, organisation_id: int, row: _Row, current) -> bool:
    """An existing member's name, language, consent and volunteer role as the row says; changed?"""
    changed = (current["display_name"], current["language"], current["sms_consent"]) != (
        row.name,
        row.language,
        row.sms_consent,
    )
    if changed:
        await queries.update_person(
            conn,
            id=current["id"],
            display_name=row.name,
            phone=row.phone,
            language=row.language,
            time_zone=current["time_zone"],
            sms_consent=row.sms_consent,
            now=clock.now(),
        )
    if "volunteer" not in current["roles"]:
        await queries.add_role(
            conn, organisation_id=organisation_id, person_id=current["id"], role="volunteer", now=clock.now()
        )
        changed = True
    return changed


async def _save(
    conn, clock: Clock, organisation, row: _Row, current, recorded_by: int | None, public_base
) -> str:
    """One valid row written: created (a new volunteer gets the link to her page), updated or
    unchanged."""
    if current is None:
        person_id = await people.insert_member(
            conn,
            clock,
            organisation.id,
            display_name=row.name,
            phone=row.phone,
            language=row.language,
            time_zone=organisation.time_zone,
            sms_consent=row.sms_consent,
            roles=["volunteer"],
        )
        if public_base:
            await page_link.send(conn, clock, organisation.id, person_id, public_base)
    else:
        person_id = current["id"]
        changed = await _save_changes(conn, clock, organisation.id, row, current)
    added = False
    for type_id, until in row.qualifications:
        added |= await qualifications.record(
            conn,
            clock,
            person_id=person_id,
            qualification_type_id=type_id,
            valid_from=None,
            valid_until=until,
            recorded_by=recorded_by,
        )
    if current is None:
        return "created"
    return "updated" if changed or added else "unchanged"


async def import_people(
    conn: asyncpg.Connection,
    clock: Clock,
    *,
    organisation_id: int,
    data: bytes,
    skip_invalid: bool = False,
    recorded_by: int | None = None,
    words: str = "en",
    public_base: str | None = None,
) -> ImportReport:
    """Every row checked before anything is written; row problems in the language words."""
    table = read_table(data)
    async with conn.transaction():
        await queries.lock_organisation_people(conn, organisation_id=organisation_id)
        organisation = await people.organisation_row(conn, organisation_id)
        known = await qualifications.types_by_name(conn, organisation_id)
        valid, errors = _checked_rows(table, organisation, known, words)
        report = ImportReport(
            imported=False,
            rows=len(table),
            created=0,
            updated=0,
            unchanged=0,
            skipped=len({e.row for e in errors}),
            errors=errors,
        )
        if errors and not skip_invalid:
            report.skipped = 0
            return report
        existing = {
            r["phone"]: r
            for r in await rows(
                queries.find_members_by_phone(
                    conn, organisation_id=organisation_id, phones=[r.phone for r in valid]
                )
            )
        }
        for row in valid:
            outcome = await _save(
                conn, clock, organisation, row, existing.get(row.phone), recorded_by, public_base
            )
            setattr(report, outcome, getattr(report, outcome) + 1)
        report.imported = True
        return report


async def import_for(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    data: bytes,
    *,
    skip_invalid: bool = False,
    words: str = "en",
    public_base: str | None = None,
) -> ImportReport:
    """A coordinator's import (API and page): refused, with every row's problems, when nothing
    was imported. Each new volunteer who can be texted gets the link to her page."""
    access.require_coordinator("import people")
    report = await import_people(
        conn,
        clock,
        organisation_id=access.organisation_id,
        data=data,
        skip_invalid=skip_invalid,
        recorded_by=access.person_id,
        words=words,
        public_base=public_base,
    )
    if not report.imported:
        raise Unprocessable(
            f"Nothing was imported: {len({e.row for e in report.errors})} row(s) have problems."
            " Fix them, or import with skip_invalid=true to leave them out.",
            code="import-rows-invalid",
            errors=report.errors,
        )
    return report
