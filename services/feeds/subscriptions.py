"""A calendar address as a poll needs it: whose, which kind, in which language, whether it still works."""

from __future__ import annotations

from datetime import datetime

import msgspec

SECRET_PREFIX = "vf_"  # a feed's secret address starts so (a token's with vo_)


class Subscription(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    kind: str
    organisation_id: int
    person_id: int | None
    revoked_at: datetime | None
    organisation_name: str
    default_language: str
    organisation_kind: str
    person_name: str | None
    person_language: str | None
    # a person's feed shows her shifts in every organisation she is in
    person_organisations: list[int]
