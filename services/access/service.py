"""API tokens: at least 256 random bits, stored only as a SHA-256 hash, revocable.

A token acts for one person in one organisation. It reaches nothing outside that organisation:
asking for another organisation's things answers 404, so their existence does not leak.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import asyncpg

from schemas.access import Me, Token
from services import db
from services.access.queries import queries
from services.clock import Clock
from services.db import Via, as_struct, rows
from services.pagination import Cursor
from services.problems import Forbidden, NotFound, Unauthorized, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "bad-token": N_("This key no longer works or is wrong. Ask your coordinator for a new link."),
        "no-token": N_("Sign in with the link your coordinator gave you."),
        "coordinator-only": N_("This page is for coordinators."),
        "page-link-not-api-key": N_("Your personal link opens your own page only."),
        "person-not-found": N_("There is no such person here."),
    }
)

TOKEN_PREFIX = "vo_"
# A link texted to someone for their own page: it never carries a coordinator's powers, so a
# forwarded or leaked SMS opens one person's shifts and nothing else.
PAGE_LINK_LABEL = "personal page link"
# What a token may do, kept with the token (never read from its label):
#   api   acts with the person's roles in the organisation;
#   page  a personal page link: her own pages and, on the API, only the routes marked
#         `opt={"page_link": True}` (her shifts, sign-ups, availability, settings).
API_SCOPE = "api"
PAGE_SCOPE = "page"
API_ONLY = frozenset({API_SCOPE})
API_OR_PAGE = frozenset({API_SCOPE, PAGE_SCOPE})
# Writing last_used_at on every request would turn each read into a write; a minute is enough.
_TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class Access:
    token_id: int
    person_id: int
    organisation_id: int
    roles: frozenset[str]
    language: str = "en"  # the person's, for texts the service writes for them
    scope: str = API_SCOPE  # a page link's access can never make a wider one

    @classmethod
    def without_token(cls, person_id: int, organisation_id: int, role: str, language: str = "en") -> Access:
        """The service acting for a person who holds no token here: an SMS answer, a signed link,
        a job done in a coordinator's name, the command line (person 0: nobody in particular)."""
        return cls(0, person_id, organisation_id, frozenset({role}), language)

    @property
    def is_coordinator(self) -> bool:
        return "coordinator" in self.roles

    def require_api_scope(self, doing: str) -> None:
        """A personal page link opens her own pages; it never makes tokens, sessions or links."""
        if self.scope != API_SCOPE:
            raise Forbidden(
                f"A personal page link cannot {doing}; use an API token.", code="page-link-not-api-key"
            )

    def require_coordinator(self, doing: str) -> None:
        if not self.is_coordinator:
            raise Forbidden(f"Only a coordinator of this organisation can {doing}.", code="coordinator-only")

    def sees(self, row) -> bool:
        """A row of an activity (or of what hangs on one) that is this organisation's own or
        shared with it; the row carries organisation_id and shared_with."""
        return row is not None and (
            row["organisation_id"] == self.organisation_id or self.organisation_id in row["shared_with"]
        )

    def require_organisation(self, organisation_id: int) -> None:
        if organisation_id != self.organisation_id:
            raise NotFound(f"There is no organisation {organisation_id}.", code="organisation-not-found")


def person_not_found(person_id: int) -> NotFound:
    return NotFound(f"There is no person {person_id} in this organisation.", code="person-not-found")


async def is_member(conn: asyncpg.Connection, organisation_id: int, person_id: int) -> bool:
    """Whether the person has any role in the organisation."""
    return await queries.is_member(conn, organisation_id=organisation_id, person_id=person_id)


async def require_person_in_view(conn: asyncpg.Connection, access: Access, person_id: int) -> None:
    """Anyone sees themself; a coordinator sees every member. Anyone else is "not found", so a
    volunteer asking about someone learns nothing, not even that they exist."""
    if person_id != access.person_id and not access.is_coordinator:
        raise person_not_found(person_id)
    if not await queries.is_member(conn, organisation_id=access.organisation_id, person_id=person_id):
        raise person_not_found(person_id)


async def who_am_i(conn: asyncpg.Connection, access: Access) -> Me:
    """Whom a token (or a page link) acts for, and where."""
    row = await queries.who_am_i(conn, person_id=access.person_id, organisation_id=access.organisation_id)
    return Me(
        person_id=access.person_id,
        display_name=row["display_name"],
        organisation_id=access.organisation_id,
        organisation_name=row["organisation_name"],
        roles=sorted(access.roles),
        token_id=access.token_id,
    )


async def access_of(conn: asyncpg.Connection, person_id: int, organisation_id: int) -> Access:
    """A member acting through a session (no token): her roles here, as they are now."""
    row = await queries.member_access(conn, person_id=person_id, organisation_id=organisation_id)
    if row is None:
        raise Unauthorized("This person no longer has a role here.", code="bad-token")
    return Access(0, person_id, organisation_id, frozenset(row["roles"]), row["language"])


def hash_secret(secret: str) -> bytes:
    return hashlib.sha256(secret.encode()).digest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


async def authenticate(
    conn: asyncpg.Connection,
    clock: Clock,
    authorization: str | None,
    via: Via = "api",
    scopes: frozenset[str] = API_ONLY,
) -> Access:
    """Who a token is, if its scope is one of `scopes`; from here on the audit trail names them
    for what this connection changes."""
    if not authorization:
        raise Unauthorized("Send your API token as 'Authorization: Bearer <token>'.", code="no-token")
    scheme, _, secret = authorization.strip().partition(" ")
    secret = secret.strip()
    if scheme.lower() != "bearer" or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        raise Unauthorized("The Authorization header must be 'Bearer <token>'.", code="bad-token")
    now = clock.now()
    token_hash = hash_secret(secret)
    row = await queries.find_live_token(conn, token_hash=token_hash, now=now)
    if row is None:
        known = await queries.find_dead_token(conn, token_hash=token_hash)
        detail = (
            "This token was revoked, has expired, or its person no longer has a role here."
            if known
            else "This token is not known."
        )
        raise Unauthorized(detail, code="bad-token")
    if row["scope"] not in scopes:
        raise Forbidden(
            "A personal page link opens your own page, not this part of the API.",
            code="page-link-not-api-key",
        )
    if row["last_used_at"] is None or now - row["last_used_at"] >= _TOUCH_EVERY:
        await queries.touch_token(conn, id=row["id"], now=now)
    roles = frozenset(row["roles"]) - ({"coordinator"} if row["scope"] == PAGE_SCOPE else set())
    await db.act_as(conn, row["person_id"], row["organisation_id"], via, now)
    return Access(row["id"], row["person_id"], row["organisation_id"], roles, row["language"], row["scope"])


async def language_of_token(conn: asyncpg.Connection, secret: str) -> str | None:
    """The language of the person a (possibly dead) token was issued to."""
    return await queries.language_of_token(conn, token_hash=hash_secret(secret.strip()))


async def issue_token(
    conn: asyncpg.Connection,
    clock: Clock,
    *,
    organisation_id: int,
    person_id: int,
    label: str = "",
    created_by: int | None = None,
    expires_at: datetime | None = None,
    scope: str = API_SCOPE,
) -> tuple[Token, str]:
    now = clock.now()
    if expires_at is not None and expires_at <= now:
        raise Unprocessable("expires_at must be in the future.", code="expiry-in-past")
    secret = new_secret()
    token = await queries.insert_token(
        conn,
        organisation_id=organisation_id,
        person_id=person_id,
        token_hash=hash_secret(secret),
        label=label,
        created_by=created_by,
        created_at=now,
        expires_at=expires_at,
        scope=scope,
    )
    return as_struct(Token)(token), secret


async def revoke_labelled_tokens(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int, label: str
) -> None:
    """A person's tokens with this label switched off (a fresh one replaces them)."""
    await queries.revoke_labelled_tokens(
        conn, organisation_id=organisation_id, person_id=person_id, label=label, now=clock.now()
    )


async def list_tokens(
    conn: asyncpg.Connection, access: Access, cursor: Cursor, only_own: bool = False
) -> list[Token]:
    """Coordinators see every token of the organisation (or only their own); others their own."""
    found = await rows(
        queries.list_tokens(
            conn,
            organisation_id=access.organisation_id,
            person_id=None if access.is_coordinator and not only_own else access.person_id,
            after_id=cursor.after_id,
            limit=cursor.fetch_limit,
        )
    )
    return [as_struct(Token)(row) for row in found]


async def revoke_token(conn: asyncpg.Connection, clock: Clock, access: Access, token_id: int) -> Token:
    token = await queries.get_token(conn, organisation_id=access.organisation_id, id=token_id)
    if token is None or (token["person_id"] != access.person_id and not access.is_coordinator):
        raise NotFound(f"There is no token {token_id}.", code="token-not-found")
    revoked = await queries.revoke_token(
        conn, organisation_id=access.organisation_id, id=token_id, now=clock.now()
    )
    return as_struct(Token)(revoked)


async def delete_dead_tokens(conn: asyncpg.Connection, clock: Clock, retention: timedelta) -> int:
    """Tokens and sessions that ended longer ago than the retention; the tokens' count."""
    await queries.delete_old_sessions(conn, before=clock.now() - retention)
    return await queries.delete_dead_tokens(conn, before=clock.now() - retention)
