from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from schemas.common import Id, MemberRole


class Token(msgspec.Struct):
    id: Id
    person_id: Id
    label: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None


class TokenCreate(msgspec.Struct, forbid_unknown_fields=True):
    label: Annotated[str, msgspec.Meta(max_length=100)] = ""
    expires_at: datetime | None = None


class TokenIssued(msgspec.Struct):
    """The secret is shown once, here; only its hash is kept."""

    token: Token
    secret: str


class Me(msgspec.Struct):
    person_id: Id
    display_name: str
    organisation_id: Id
    organisation_name: str
    roles: list[MemberRole]
    token_id: Id
