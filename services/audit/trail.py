"""An organisation's audit trail, for its coordinators."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from schemas.audit import AuditEntry
from schemas.common import Page
from services.access.service import Access
from services.audit.queries import queries
from services.db import as_struct, rows
from services.pagination import Cursor


async def trail(
    conn: asyncpg.Connection,
    access: Access,
    cursor: Cursor,
    *,
    table_name: str | None = None,
    row_id: int | None = None,
    actor_person_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Page[AuditEntry]:
    """The organisation's trail for its coordinators, newest first; another organisation's rows
    are never in it."""
    access.require_coordinator("read the audit trail")
    found = await rows(
        queries.trail(
            conn,
            organisation_id=access.organisation_id,
            table_name=table_name,
            row_id=row_id,
            actor_person_id=actor_person_id,
            since=since,
            until=until,
            after_id=cursor.after_id or None,
            limit=cursor.fetch_limit,
        )
    )
    return cursor.page(found, _entry)


async def audited_tables(conn: asyncpg.Connection) -> list[str]:
    """The tables the trail follows (the database's own list)."""
    return [row["table_name"] for row in await rows(queries.audited_tables(conn))]


def _entry(row: asyncpg.Record) -> AuditEntry:
    return as_struct(AuditEntry)(row, changes=msgspec.json.decode(row["changes"]))
