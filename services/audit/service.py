"""The audit trail. Changes are recorded by PostgreSQL triggers in the transaction of the change
(infra/migrations/0016_audit_trail.sql); who is acting and through what is said once per request,
SMS answer, link or job (`db.act_as`); the reads that matter are recorded here."""

from __future__ import annotations

from typing import Literal

import asyncpg
import msgspec

from services.audit.queries import queries


async def record(
    conn: asyncpg.Connection,
    organisation_id: int | None,
    table_name: str,
    row_id: int | None,
    action: Literal["read", "export", "erase"],
    about: dict | None = None,
) -> None:
    await queries.record(
        conn,
        organisation_id=organisation_id,
        table_name=table_name,
        row_id=row_id,
        action=action,
        changes=msgspec.json.encode(about or {}).decode(),
    )
