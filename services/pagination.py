"""Keyset pagination: `?limit=50&cursor=<opaque>`; stable while rows are added."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

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

    def page(self, records: Sequence[Any], convert: Callable[[Any], T]) -> Page[T]:
        items = list(records[: self.limit])
        more = len(records) > self.limit
        return Page(
            items=[convert(r) for r in items], next_cursor=str(items[-1]["id"]) if more and items else None
        )
