"""The audit trail. Changes are recorded by PostgreSQL triggers in the transaction of the change
(infra/migrations/0016_audit_trail.sql); the service says who is acting and through what, once
per request, SMS answer, link or job, and records the reads that matter itself."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import asyncpg
import msgspec

from services import db
from services.audit.queries import queries

Via = Literal["api", "page", "sms", "link", "job", "cli"]


async def act_as(
    conn: asyncpg.Connection, person_id: int | None, organisation_id: int | None, via: Via, now: datetime
) -> None:
    await db.act(
        conn,
        actor_person="" if person_id is None else str(person_id),
        actor_org="" if organisation_id is None else str(organisation_id),
        via=via,
        now=now.isoformat(),
    )


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
