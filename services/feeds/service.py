"""Feed subscriptions (secret URLs: listed, rotated, revoked) and serving a feed.

A subscription URL carries ≥ 256 random bits, stored only as a hash. A revoked or rotated URL
answers 410 Gone so calendar apps stop polling; an unknown one 404.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
from datetime import datetime, timedelta
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import msgspec

from schemas.common import Page
from schemas.feeds import FeedLink
from services.access.service import Access, hash_secret
from services.assignments import own as own_shifts
from services.bookings import venues
from services.clock import Clock
from services.db import as_struct, rows
from services.feeds import render
from services.feeds.cache import FeedCache, Rendered
from services.feeds.queries import queries
from services.feeds.subscriptions import Subscription
from services.feeds.texts import TEXTS
from services.notices import service as notices
from services.organisations import service as organisations
from services.pagination import Cursor
from services.people import service as people
from services.problems import Gone, NotFound, Unprocessable
from services.words import translate

SECRET_PREFIX = "vf_"
WINDOW_BACK = timedelta(days=60)
# Past the longest horizon an organisation can set: occurrences exist only up to their horizon.
WINDOW_AHEAD = timedelta(weeks=105)
CANCELLED_KEPT = timedelta(days=14)
TOUCH_EVERY = timedelta(minutes=10)


def urls(public_url: str, secret: str) -> tuple[str, str]:
    https = f"{public_url.rstrip('/')}/feeds/{secret}.ics"
    return https, urlunsplit(urlsplit(https)._replace(scheme="webcal"))


def to_link(row: asyncpg.Record, public_url: str | None = None, secret: str | None = None) -> FeedLink:
    link = FeedLink(
        **{k: row[k] for k in ("id", "kind", "person_id", "created_at", "revoked_at", "last_polled_at")}
    )
    if public_url and secret:
        link.https_url, link.webcal_url = urls(public_url, secret)
    return link


async def _check_may_make(
    conn: asyncpg.Connection, access: Access, kind: str, person_id: int | None
) -> int | None:
    if kind in ("personal", "open_shifts"):
        person = access.person_id if person_id is None else person_id
        if person != access.person_id:
            access.require_coordinator("make feeds for other people")
        await people.get_person(conn, access, person)  # a member of this organisation
        return person
    if person_id is not None:
        raise Unprocessable(f"person_id: a {kind} feed is not anyone's own.", code="feed-person")
    if kind == "organisation":
        access.require_coordinator("make the organisation's feed")
    else:
        organisation = await organisations.get(conn, access, access.organisation_id)
        if organisation.kind != "partner_congregation":
            raise Unprocessable("A venue feed belongs to a partner congregation.", code="not-a-venue-owner")
        if not access.roles & {"coordinator", "partner_contact"}:
            access.require_coordinator("make the venue feed")
    return None


async def create(
    conn: asyncpg.Connection, clock: Clock, access: Access, kind: str, person_id: int | None, public_url: str
) -> FeedLink:
    person = await _check_may_make(conn, access, kind, person_id)
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    row = await queries.insert_subscription(
        conn,
        kind=kind,
        organisation_id=access.organisation_id,
        person_id=person,
        token_hash=hash_secret(secret),
        created_by=access.person_id,
        now=clock.now(),
    )
    return to_link(row, public_url, secret)


async def send_personal(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, public_url: str
) -> FeedLink | None:
    """A fresh personal calendar link, texted to the person (its secret is in that SMS only).
    None, and no link made, when the person cannot be texted."""
    if not await notices.reachable(conn, person_id):
        return None
    link = await create(conn, clock, access, "personal", person_id, public_url)
    await notices.tell(
        conn,
        clock,
        person_id,
        key=f"calendar-link:{link.id}",
        template="calendar_link",
        organisation_id=access.organisation_id,
        before=clock.now() + timedelta(days=1),
        link=link.webcal_url,
    )
    return link


async def revoke_made_by(conn: asyncpg.Connection, clock: Clock, access: Access) -> None:
    """Every feed link this person made in the organisation switched off."""
    await queries.revoke_made_by(
        conn, organisation_id=access.organisation_id, created_by=access.person_id, now=clock.now()
    )


async def _own(conn: asyncpg.Connection, access: Access, feed_id: int) -> asyncpg.Record:
    row = await queries.get_subscription(conn, organisation_id=access.organisation_id, id=feed_id)
    if row is None or not (access.is_coordinator or row["person_id"] == access.person_id):
        raise NotFound(f"There is no feed {feed_id}.", code="feed-not-found")
    return row


async def list_links(
    conn: asyncpg.Connection, access: Access, person_id: int | None, cursor: Cursor
) -> Page[FeedLink]:
    """Coordinators list any person's feeds (or all); others their own."""
    if not access.is_coordinator:
        person_id = access.person_id
    records = await rows(
        queries.list_subscriptions(
            conn,
            organisation_id=access.organisation_id,
            person_id=person_id,
            after_id=cursor.after_id,
            limit=cursor.fetch_limit,
        )
    )
    return cursor.page(records, to_link)


async def rotate(
    conn: asyncpg.Connection, clock: Clock, access: Access, feed_id: int, public_url: str
) -> FeedLink:
    """A new URL for the same feed; the old one answers 410 from now on."""
    row = await _own(conn, access, feed_id)
    if row["revoked_at"] is not None:
        raise Gone(f"Feed {feed_id} was switched off; make a new one.", code="feed-revoked")
    async with conn.transaction():
        await queries.revoke_subscription(conn, id=feed_id, now=clock.now())
        secret = SECRET_PREFIX + secrets.token_urlsafe(32)
        new = await queries.insert_subscription(
            conn,
            kind=row["kind"],
            organisation_id=row["organisation_id"],
            person_id=row["person_id"],
            token_hash=hash_secret(secret),
            created_by=access.person_id,
            now=clock.now(),
        )
    return to_link(new, public_url, secret)


async def revoke(
    conn: asyncpg.Connection, clock: Clock, access: Access, feed_id: int, cache: FeedCache
) -> FeedLink:
    await _own(conn, access, feed_id)
    await queries.revoke_subscription(conn, id=feed_id, now=clock.now())
    cache.changed()  # this process at once; the others on the notice at commit
    return to_link(await queries.get_subscription(conn, organisation_id=access.organisation_id, id=feed_id))


# --- serving ----------------------------------------------------------------------------------


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
