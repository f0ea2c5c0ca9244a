"""Everything held about one person (GDPR Art. 15 and 20): a JSON file of every section, and the
same sections as CSV files anyone can open, in one ZIP. A coordinator gets what her organisation
holds; the person, from her own page, gets all of it. Each export is in the audit trail."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import asyncpg
import msgspec

from services import spreadsheet
from services.access.service import Access, require_person_in_view
from services.audit import service as audit
from services.clock import Clock
from services.privacy.owners import HOLDINGS


async def collect(conn: asyncpg.Connection, person_id: int, organisation_id: int | None) -> dict[str, Any]:
    """Every section as a list of whole rows (secrets left out), her own row first. Every section
    is found by her id, never by her number or name, which other people (in other organisations)
    may have too; each context exports what it holds (its privacy.py)."""
    found: dict[str, Any] = {"person": []}
    for holding in HOLDINGS:
        found.setdefault(holding.section, []).extend(await holding.export(conn, person_id, organisation_id))
    return found


def _csv(items: list[dict[str, Any]]) -> str:
    columns = sorted({k for item in items for k in item})
    return spreadsheet.csv_text(columns, ([item.get(c) for c in columns] for item in items))


def as_zip(found: dict[str, Any]) -> bytes:
    """export.json with everything, and a CSV per non-empty section."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export.json", msgspec.json.format(msgspec.json.encode(found), indent=2))
        for name, items in found.items():
            if items:
                archive.writestr(f"{name}.csv", _csv(items))
    return buffer.getvalue()


async def export(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> dict[str, Any]:
    """A coordinator's export of a member (what her organisation holds), or a person's own."""
    await require_person_in_view(conn, access, person_id)
    own = person_id == access.person_id and not access.is_coordinator
    found = await collect(conn, person_id, None if own else access.organisation_id)
    counted = {name: len(items) for name, items in found.items()}
    await audit.record(conn, access.organisation_id, "people", person_id, "export", {"rows": counted})
    return found
