"""Keyset pagination: `?limit=50&cursor=<opaque>`; stable while rows are added."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import msgspec

from schemas.common import Page
from services.problems import Unprocessable

T = TypeVar("T")
MAX_LIMIT = 200


@dataclass(frozen=True)
class Cursor:
    after_id: int
    limit: int

    @property
    def fetch_limit(self) -> int:
        # One more than asked tells whether another page exists.
        return self.limit + 1

    @classmethod
    def parse(cls, cursor: str | None, limit: int) -> Cursor:
        if not 1 <= limit <= MAX_LIMIT:
            raise Unprocessable(f"limit must be between 1 and {MAX_LIMIT}.", code="bad-limit")
        if cursor is None or cursor == "":
            return cls(0, limit)
        if not cursor.isdigit() or len(cursor) > 18:
            raise Unprocessable("cursor must be the next_cursor of an earlier page.", code="bad-cursor")
        return cls(int(cursor), limit)

    def page(self, records: Sequence[Any], convert: Callable[[Any], T] = lambda item: item) -> Page[T]:
        """The first `limit` of records or Structs (fetched one over), each with an id."""
        items = list(records[: self.limit])
        more = len(records) > self.limit
        last = items[-1] if more and items else None
        after = getattr(last, "id", None) if isinstance(last, msgspec.Struct) else last and last["id"]
        return Page(items=[convert(r) for r in items], next_cursor=str(after) if last is not None else None)
