"""Serving a feed behind its secret address: an unchanged feed answered from memory, a changed one
rendered from the organisation's dates (a person's shifts, the open ones, the staffing, a
partner's rooms)."""

from __future__ import annotations

import gzip
import hashlib
from datetime import datetime, timedelta

import asyncpg
import msgspec

from services.access.service import hash_secret
from services.assignments import own as own_shifts
from services.bookings import venues
from services.clock import Clock
from services.db import as_struct, rows
from services.feeds import render
from services.feeds.cache import FeedCache, Rendered
from services.feeds.queries import queries
from services.feeds.subscriptions import SECRET_PREFIX, Subscription
from services.feeds.texts import TEXTS
from services.problems import Gone, NotFound
from services.words import translate

WINDOW_BACK = timedelta(days=60)


# Past the longest horizon an organisation can set: occurrences exist only up to their horizon.
WINDOW_AHEAD = timedelta(weeks=105)


CANCELLED_KEPT = timedelta(days=14)


TOUCH_EVERY = timedelta(minutes=10)


async def _subscription(conn: asyncpg.Connection, cache: FeedCache, token_hash: bytes) -> Subscription:
    subscription = cache.subscription(token_hash)
    if subscription is None:
        row = await queries.find_subscription(conn, token_hash=token_hash)
        if row is None:
            raise NotFound("There is no calendar at this address.", code="feed-not-found")
        subscription = as_struct(Subscription)(row)
        cache.keep_subscription(token_hash, subscription)
    return subscription


def _check_live(subscription: Subscription) -> None:
    if subscription.revoked_at is not None:
        raise Gone(
            "This calendar address was replaced or switched off; ask your coordinator for a new one.",
            code="feed-revoked",
        )


async def feed(pool: asyncpg.Pool, clock: Clock, cache: FeedCache, secret: str, public_url: str) -> Rendered:
    """The feed behind a secret URL. An unchanged feed is answered from memory without touching
    the database at all (not even a pooled connection), which is what most polls are."""
    if not secret.startswith(SECRET_PREFIX) or len(secret) > 100:
        raise NotFound("There is no calendar at this address.", code="feed-not-found")
    token_hash = hash_secret(secret)
    now = clock.now()
    subscription = cache.subscription(token_hash)
    if subscription is not None:
        _check_live(subscription)
        rendered = cache.feed((subscription.id, now.date()))
        if rendered is not None:
            cache.hits += 1
            return rendered
    cache.misses += 1
    async with pool.acquire() as conn:
        version = cache.version  # before reading: a notice during the read makes this entry stale
        subscription = await _subscription(conn, cache, token_hash)
        _check_live(subscription)
        rendered = await _render(conn, now, cache, subscription, public_url)
        if cache.version == version:  # nothing changed while it was read
            depends_on = [subscription.organisation_id, *subscription.person_organisations]
            cache.keep_feed((subscription.id, now.date()), rendered, depends_on)
        polled = cache.polled.get(subscription.id)
        if polled is None or now - polled >= TOUCH_EVERY:  # a write per poll would be wasteful
            await queries.touch_subscription(conn, id=subscription.id, now=now)
            cache.polled[subscription.id] = now
    return rendered


async def _personal(conn, now, window, subscription, language, public_url, cache) -> tuple[str, list]:
    records = await rows(queries.personal_events(conn, person_id=subscription.person_id, **window))
    name = translate(language, TEXTS["personal"]).format(name=subscription.person_name.split(" ")[0])
    return name, [render.personal_event(r, language, public_url, cache.events) for r in records]


async def _staffed(conn, window, subscription, language, public_url, cache, occurrence_ids=None) -> list:
    """The organisation's occurrences with their staffing, or only these (the open ones)."""
    open_only = occurrence_ids is not None
    if open_only and not occurrence_ids:
        return []
    organisation_id = None if open_only else subscription.organisation_id
    records = await rows(
        queries.staffed_events(conn, organisation_id=organisation_id, occurrence_ids=occurrence_ids, **window)
    )
    return [render.staffed_event(r, language, public_url, cache.events, open_only=open_only) for r in records]


async def _organisation(conn, now, window, subscription, language, public_url, cache) -> tuple[str, list]:
    name = translate(language, TEXTS["organisation"]).format(organisation=subscription.organisation_name)
    return name, await _staffed(conn, window, subscription, language, public_url, cache)


async def _open_shifts(conn, now, window, subscription, language, public_url, cache) -> tuple[str, list]:
    ids = await own_shifts.open_occurrence_ids(
        conn, subscription.organisation_id, subscription.person_id, now, now + WINDOW_AHEAD
    )
    name = translate(language, TEXTS["open_shifts"]).format(organisation=subscription.organisation_name)
    return name, await _staffed(conn, window, subscription, language, public_url, cache, ids)


async def _venue(conn, now, window, subscription, language, public_url, cache) -> tuple[str, list]:
    """A partner's confirmed room bookings."""
    records = await venues.venue_events(
        conn, subscription.organisation_id, window["window_start"], window["window_end"]
    )
    name = translate(language, TEXTS["venue"]).format(organisation=subscription.organisation_name)
    return name, [render.venue_event(msgspec.structs.asdict(r), cache.events) for r in records]


EVENTS = {"personal": _personal, "organisation": _organisation, "open_shifts": _open_shifts, "venue": _venue}


async def _render(
    conn: asyncpg.Connection, now: datetime, cache: FeedCache, subscription: Subscription, public_url: str
) -> Rendered:
    kind = subscription.kind
    personal = kind in ("personal", "open_shifts")
    language = subscription.person_language if personal else subscription.default_language
    window = {
        "window_start": now - WINDOW_BACK,
        "window_end": now + WINDOW_AHEAD,
        "cancelled_since": now - CANCELLED_KEPT,
    }
    name, events = await EVENTS[kind](
        conn, now, window, subscription, language, public_url.rstrip("/"), cache
    )
    return _versioned(cache, subscription.id, render.calendar(name, events).encode(), now)


def _versioned(cache: FeedCache, subscription_id: int, body: bytes, now: datetime) -> Rendered:
    """The body with its ETag, and since when it has been served as it is (Last-Modified)."""
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    seen = cache.first_served.get(subscription_id)
    if seen and seen[0] == etag:
        since, dated = seen[1], seen[2]
    else:
        since = now.replace(microsecond=0)
        # HTTP dates count whole seconds: content that changed within the second the previous
        # content was first served cannot be told apart by date, only by ETag.
        dated = not (seen and since <= seen[1])
    cache.first_served[subscription_id] = (etag, since, dated)
    return Rendered(
        etag=etag, body=body, gzipped=gzip.compress(body, 6, mtime=0), last_modified=since, dated=dated
    )
