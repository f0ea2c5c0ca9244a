"""What an API process remembers between polls, and when it forgets.

Calendar apps poll often and mostly find nothing new. Every change a feed could show makes
PostgreSQL notify `volops_schedule` at commit, naming each organisation it touches ('*' for all);
a rendered feed or token look-up is kept with the notice counts of the organisations it depends
on, and is used again only while none of them has moved. So an edit in one organisation leaves
the others' feeds cached, a poll of an unchanged feed is answered from memory, and a change is
seen on the next poll after its commit. If the listening connection is lost, the cache stands
aside (every poll renders afresh) until it is back.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import datetime

import asyncpg
from litestar.datastructures import State
from litestar.di import NamedDependency

from services.feeds.render import EventCache
from services.feeds.subscriptions import Subscription
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


Snapshot = tuple  # (notices for all, ((organisation, its notices), ...)) when something was read


@dataclass
class FeedCache:
    version: int = 0  # every notice heard (a read during which this moved is not kept)
    listening: bool = False
    hits: int = 0  # polls answered from memory, and rendered (for /metrics)
    misses: int = 0
    events: EventCache = field(default_factory=EventCache)
    _all: int = 0
    _by_organisation: dict[int, int] = field(default_factory=dict)
    _feeds: dict[tuple, tuple[Rendered, Snapshot]] = field(default_factory=dict)
    _subscriptions: dict[bytes, tuple[asyncpg.Record, Snapshot]] = field(default_factory=dict)
    # When each subscription's current content was first served (for Last-Modified).
    first_served: dict[int, tuple[str, datetime, bool]] = field(default_factory=dict)
    polled: dict[int, datetime] = field(default_factory=dict)
    _conn: asyncpg.Connection | None = None

    def changed(self, *args: object) -> None:
        """A notice (asyncpg passes connection, pid, channel, payload); called bare: everything."""
        payload = str(args[3]) if len(args) >= 4 else "*"
        self.version += 1
        if payload.isdigit():
            self._by_organisation[int(payload)] = self._by_organisation.get(int(payload), 0) + 1
        else:
            self._all += 1
            self._feeds.clear()
            self._subscriptions.clear()

    def snapshot(self, organisations) -> Snapshot:
        return (self._all, tuple((o, self._by_organisation.get(o, 0)) for o in sorted(set(organisations))))

    def _fresh(self, snapshot: Snapshot) -> bool:
        return snapshot == self.snapshot(o for o, _ in snapshot[1])

    def feed(self, key: tuple) -> Rendered | None:
        kept = self._feeds.get(key) if self.listening else None
        return kept[0] if kept and self._fresh(kept[1]) else None

    def keep_feed(self, key: tuple, rendered: Rendered, organisations) -> None:
        if self.listening:
            self._feeds[key] = (rendered, self.snapshot(organisations))

    def subscription(self, token_hash: bytes) -> Subscription | None:
        kept = self._subscriptions.get(token_hash) if self.listening else None
        return kept[0] if kept and self._fresh(kept[1]) else None

    def keep_subscription(self, token_hash: bytes, subscription: Subscription) -> None:
        if self.listening:
            self._subscriptions[token_hash] = (subscription, self.snapshot([subscription.organisation_id]))

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


def provide_feed_cache(state: State) -> FeedCache:
    """This process's cache of rendered feeds, for whoever switches a feed off."""
    return state.feed_cache


FeedCaches = NamedDependency[FeedCache]  # by provide_feed_cache
