"""A signed-in browser is a session kept here: the cookie carries a random id, never an API token,
so the cookie is no key to the API, and signing out ends the session at once. A board session is a
coordinator's; a `my` session is a person's own pages, opened with her page link. A day idle or
30 days after signing in, it is over."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Literal

import asyncpg
import msgspec

from services import db
from services.access.queries import queries
from services.access.service import PAGE_SCOPE, Access, hash_secret
from services.clock import Clock
from services.db import as_struct, rows
from services.problems import NotFound, Unauthorized, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"session-ended": N_("You were signed out. Sign in again with your link.")})

Kind = Literal["board", "my"]
IDLE = timedelta(days=1)
LONGEST = timedelta(days=30)
_TOUCH_EVERY = timedelta(minutes=1)
SESSION_PREFIX = "vs_"  # never "vo_": an API token it is not


async def start(
    conn: asyncpg.Connection, clock: Clock, kind: Kind, access: Access, token_id: int | None = None
) -> str:
    """A new session for who `access` is; the secret for the cookie."""
    secret = SESSION_PREFIX + secrets.token_urlsafe(32)
    now = clock.now()
    await queries.insert_session(
        conn,
        secret_hash=hash_secret(secret),
        kind=kind,
        organisation_id=access.organisation_id,
        person_id=access.person_id,
        token_id=token_id,
        now=now,
        expires_at=now + LONGEST,
    )
    return secret


async def current(conn: asyncpg.Connection, clock: Clock, kind: Kind, secret: str | None) -> Access | None:
    """Who the session is, or None when there is none or it is over."""
    if not secret or not secret.startswith(SESSION_PREFIX) or len(secret) > 100:
        return None
    now = clock.now()
    row = await queries.find_live_session(
        conn, secret_hash=hash_secret(secret), kind=kind, now=now, idle_since=now - IDLE
    )
    if row is None:
        return None
    if now - row["last_seen_at"] >= _TOUCH_EVERY:
        await queries.touch_session(conn, id=row["id"], now=now)
    # Her own pages never carry a coordinator's powers, whatever else she is.
    roles = frozenset(row["roles"]) - ({"coordinator"} if kind == "my" else set())
    scope = PAGE_SCOPE if kind == "my" else "api"
    return Access(0, row["person_id"], row["organisation_id"], roles, row["language"], scope)


async def authenticate(
    conn: asyncpg.Connection, clock: Clock, kind: Kind, secret: str | None, missing: str
) -> Access:
    """Who the session is; 401 (code `missing` with no cookie) when there is none or it ended.
    From here on the audit trail names them for what this connection changes."""
    if not secret:
        raise Unauthorized("Sign in with your link.", code=missing)
    access = await current(conn, clock, kind, secret)
    if access is None:
        raise Unauthorized("You were signed out. Sign in again.", code="session-ended")
    await db.act_as(conn, access.person_id, access.organisation_id, "page", clock.now())
    return access


async def end(conn: asyncpg.Connection, clock: Clock, secret: str | None) -> None:
    if secret:
        await queries.end_session(conn, secret_hash=hash_secret(secret), now=clock.now())


async def end_all_of(conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int) -> None:
    """Every browser of hers signed out (a role taken away, her data erased)."""
    await queries.end_sessions_of(conn, organisation_id=organisation_id, person_id=person_id, now=clock.now())


class SignedIn(msgspec.Struct, frozen=True):
    """A browser where a person is signed in, as her sessions page lists it."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    current: bool  # this browser


async def list_own(
    conn: asyncpg.Connection, clock: Clock, kind: Kind, access: Access, secret: str | None
) -> list[SignedIn]:
    now = clock.now()
    found = await rows(
        queries.list_sessions(
            conn,
            organisation_id=access.organisation_id,
            person_id=access.person_id,
            kind=kind,
            current_hash=hash_secret(secret or ""),
            now=now,
            idle_since=now - IDLE,
        )
    )
    return [as_struct(SignedIn)(row) for row in found]


async def end_own(conn: asyncpg.Connection, clock: Clock, access: Access, session_id: int) -> None:
    """One of her own sessions ended; another person's is "not found"."""
    ended = await queries.end_own_session(
        conn,
        organisation_id=access.organisation_id,
        person_id=access.person_id,
        id=session_id,
        now=clock.now(),
    )
    if ended is None:
        raise NotFound(f"There is no session {session_id}.", code="session-not-found")


async def looked_at_board(conn: asyncpg.Connection, clock: Clock, access: Access) -> datetime | None:
    """When she last opened the gap board (None the first time); this look is kept as her last."""
    return await queries.look_at_board(
        conn, organisation_id=access.organisation_id, person_id=access.person_id, now=clock.now()
    )
