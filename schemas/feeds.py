"""Calendar feeds as their makers see them on the API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec

from schemas.common import Id

FeedKind = Literal["personal", "organisation", "open_shifts", "venue"]


class FeedLink(msgspec.Struct):
    id: int
    kind: FeedKind
    person_id: int | None
    created_at: datetime
    revoked_at: datetime | None
    last_polled_at: datetime | None
    https_url: str | None = None  # only when just made or rotated: the secret is not kept
    webcal_url: str | None = None


class FeedCreate(msgspec.Struct, forbid_unknown_fields=True):
    kind: FeedKind
    person_id: Id | None = None
