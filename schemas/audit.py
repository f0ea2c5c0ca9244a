"""The audit trail as the API shows it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

import msgspec

from schemas.common import Id


class AuditEntry(msgspec.Struct):
    """One change (or a read that matters): when, who (null: the service itself), through what,
    what, and the fields before → after. Numbers are masked; protected addresses never copied."""

    id: Id
    at: datetime
    actor_person_id: Id | None
    actor_name: str | None
    via: Literal["api", "page", "sms", "link", "job", "cli"]
    table_name: str
    row_id: int | None
    action: Literal["insert", "update", "delete", "read", "export", "erase"]
    changes: dict[str, Any]
