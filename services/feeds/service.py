"""Feed subscriptions: secret calendar addresses made, listed, rotated and revoked (serving.py serves them).

A subscription URL carries 256 bits no one can guess, stored only as a hash. Under the link key
(VOLOPS_LINK_KEY) they are an HMAC of a random part that is kept, so that its owner can be given
her current link again; the database alone never gives it back. A revoked or rotated URL answers
410 Gone so calendar apps stop polling; an unknown one 404.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from schemas.common import Page
from schemas.feeds import FeedLink
from services.access.service import Access, hash_secret
from services.clock import Clock
from services.db import rows
from services.feeds.cache import FeedCache
from services.feeds.queries import queries
from services.feeds.subscriptions import SECRET_PREFIX
from services.notices import service as notices
from services.organisations import service as organisations
from services.pagination import Cursor
from services.people import service as people
from services.problems import Gone, NotFound, Unprocessable


def _secret(key: bytes, nonce: bytes) -> str:
    digest = hmac.new(key, b"calendar-link:" + nonce, "sha256").digest()
    return SECRET_PREFIX + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _new_secret(key: bytes | None) -> tuple[str, bytes | None]:
    """A new link's secret, and the random part it can be made again from (with the key only)."""
    if key is None:
        return SECRET_PREFIX + secrets.token_urlsafe(32), None
    nonce = secrets.token_bytes(32)
    return _secret(key, nonce), nonce


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


async def _insert(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    kind: str,
    person_id: int | None,
    key: bytes | None,
) -> tuple[asyncpg.Record, str]:
    secret, nonce = _new_secret(key)
    row = await queries.insert_subscription(
        conn,
        kind=kind,
        organisation_id=access.organisation_id,
        person_id=person_id,
        token_hash=hash_secret(secret),
        link_nonce=nonce,
        created_by=access.person_id,
        now=clock.now(),
    )
    return row, secret


async def create(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    kind: str,
    person_id: int | None,
    public_url: str,
    key: bytes | None = None,
    *,
    current_if_any: bool = False,
) -> FeedLink:
    """A new link of this kind; with `current_if_any`, her current link given again where it can
    be. The old ones go on working either way."""
    person = await _check_may_make(conn, access, kind, person_id)
    if current_if_any:
        current = await current_link(conn, access, kind, person or access.person_id, public_url, key)
        if current is not None:
            return current
    row, secret = await _insert(conn, clock, access, kind, person, key)
    return to_link(row, public_url, secret)


async def current_link(
    conn: asyncpg.Connection, access: Access, kind: str, person_id: int, public_url: str, key: bytes | None
) -> FeedLink | None:
    """Her newest working link of this kind, made again from its random part: the same address her
    calendar already has. None when none can be (made before the key, or under another key)."""
    for row in await rows(
        queries.working_links_of(conn, organisation_id=access.organisation_id, person_id=person_id, kind=kind)
    ):
        if key is not None and row["link_nonce"] is not None:
            secret = _secret(key, row["link_nonce"])
            if hmac.compare_digest(hash_secret(secret), row["token_hash"]):
                return to_link(row, public_url, secret)
    return None


async def send_personal(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, public_url: str, key: bytes | None
) -> FeedLink | None:
    """Her calendar link texted to her: the one she has where it can be given again, else a new
    one. None, and no link made, when she cannot be texted."""
    if not await notices.reachable(conn, person_id):
        return None
    link = await create(conn, clock, access, "personal", person_id, public_url, key, current_if_any=True)
    await notices.tell(
        conn,
        clock,
        person_id,
        # the same link may be texted again later; a doubled click within the minute sends once
        key=f"calendar-link:{link.id}:{clock.now():%Y%m%dT%H%M}",
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
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    feed_id: int,
    public_url: str,
    key: bytes | None = None,
) -> FeedLink:
    """A new URL for the same feed; the old one answers 410 from now on."""
    row = await _own(conn, access, feed_id)
    if row["revoked_at"] is not None:
        raise Gone(f"Feed {feed_id} was switched off; make a new one.", code="feed-revoked")
    async with conn.transaction():
        await queries.revoke_subscription(conn, id=feed_id, now=clock.now())
        new, secret = await _insert(conn, clock, access, row["kind"], row["person_id"], key)
    return to_link(new, public_url, secret)


async def revoke(
    conn: asyncpg.Connection, clock: Clock, access: Access, feed_id: int, cache: FeedCache
) -> FeedLink:
    await _own(conn, access, feed_id)
    await queries.revoke_subscription(conn, id=feed_id, now=clock.now())
    cache.changed()  # this process at once; the others on the notice at commit
    return to_link(await queries.get_subscription(conn, organisation_id=access.organisation_id, id=feed_id))
