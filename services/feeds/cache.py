"""What an API process remembers between polls, and when it forgets.

Calendar apps poll often and mostly find nothing new. Every change a feed could show makes
PostgreSQL notify `volops_schedule` at commit; on that notice the process drops its rendered feeds
and token look-ups. So a poll of an unchanged feed is answered from memory, and a change is seen on
the next poll after its commit. If the listening connection is lost, the cache stands aside (every
poll renders afresh) until it is back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg

from services.feeds.render import EventCache
from services.logging import get_logger

log = get_logger("volops.feeds")
CHANNEL = "volops_schedule"


@dataclass(frozen=True)
class Rendered:
    etag: str
    body: bytes
    gzipped: bytes
    last_modified: datetime
    dated: bool = True  # False: Last-Modified cannot vouch for this content (see service._render)


@dataclass
class FeedCache:
    version: int = 0
    listening: bool = False
    hits: int = 0  # polls answered from memory, and rendered (for /metrics)
    misses: int = 0
    events: EventCache = field(default_factory=EventCache)
    _feeds: dict[tuple, Rendered] = field(default_factory=dict)
    _subscriptions: dict[bytes, asyncpg.Record] = field(default_factory=dict)
    # When each subscription's current content was first served (for Last-Modified).
    first_served: dict[int, tuple[str, datetime, bool]] = field(default_factory=dict)
    polled: dict[int, datetime] = field(default_factory=dict)
    _conn: asyncpg.Connection | None = None

    def changed(self, *_args: object) -> None:
        self.version += 1
        self._feeds.clear()
        self._subscriptions.clear()

    def feed(self, key: tuple) -> Rendered | None:
        return self._feeds.get(key) if self.listening else None

    def keep_feed(self, key: tuple, rendered: Rendered) -> None:
        if self.listening:
            self._feeds[key] = rendered

    def subscription(self, token_hash: bytes) -> asyncpg.Record | None:
        return self._subscriptions.get(token_hash) if self.listening else None

    def keep_subscription(self, token_hash: bytes, row: asyncpg.Record) -> None:
        if self.listening:
            self._subscriptions[token_hash] = row

    async def listen(self, database_url: str) -> None:
        self._conn = await asyncpg.connect(database_url)
        await self._conn.add_listener(CHANNEL, self.changed)
        self._conn.add_termination_listener(self._lost)
        self.changed()
        self.listening = True

    def _lost(self, *_args: object) -> None:
        log.warning("feed_cache_listener_lost")
        self.listening = False
        self.changed()

    async def close(self) -> None:
        if self._conn is not None and not self._conn.is_closed():
            self.listening = False
            await asyncio.shield(self._conn.close())
