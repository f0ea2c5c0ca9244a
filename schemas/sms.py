"""SMS as coordinators see them on the API."""

from __future__ import annotations

from datetime import datetime

import msgspec

from schemas.common import Id


class SmsProblem(msgspec.Struct):
    id: Id
    kind: str
    person_id: Id | None
    assignment_id: Id | None
    status: str
    due_at: datetime
    error_code: str | None
    error_message: str | None
    updated_at: datetime
