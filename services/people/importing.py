"""Volunteer import from a spreadsheet export (CSV).

Columns (header names in English, Swedish, Norwegian or Czech; order free): name, phone,
language (sv/nb/cs/en, default: the organisation's), qualifications ("Police certificate until
2027-05-01; Driving licence"), sms (yes/no consent, default no). Row numbers in reports are the
spreadsheet's: the header is row 1. All rows are checked before anything is written; the phone
number is the key within the organisation, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import asyncpg

from schemas.people import ImportReport
from services.access.service import Access
from services.clock import Clock
from services.db import rows
from services.people import page_link
from services.people import service as people
from services.people.import_rows import Row, checked_rows, read_table
from services.people.queries import queries
from services.problems import Unprocessable, refusals
from services.qualifications import service as qualifications
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "import-rows-invalid": N_(
            "Nothing was imported. Fix the rows below in the spreadsheet, or tick 'leave out the rows with problems'."
        )
    }
)


async def _save_changes(conn, clock: Clock, organisation_id: int, row: Row, current) -> bool:
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
    conn, clock: Clock, organisation, row: Row, current, recorded_by: int | None, public_base
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
        valid, errors = checked_rows(table, organisation, known, words)
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
