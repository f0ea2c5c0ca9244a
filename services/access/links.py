"""Signed links for people without an account: a volunteer's shift page from an SMS, a partner's
booking page. A link names the rows it opens and when it stops working, signed with a key kept in
the database (so every API and worker process signs alike, with no extra setting to share).

    /s/3f-19-t85s00-Zm9vYmFyYmF6cXV4  →  ids (123, 45), valid until 1767225600 (base 36)

The signature covers the purpose too, so a link for one page cannot open another.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from datetime import UTC, datetime

import asyncpg

from services.access.queries import queries
from services.problems import Gone, NotFound, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "bad-link": N_("This link is not complete. Open it from the message again."),
        "link-expired": N_("This link has expired."),
    }
)


class LinkExpired(Gone):
    """Signed by us but too old; says whose it was, so the page can answer in their language."""

    def __init__(self, ids: tuple[int, ...]):
        super().__init__("This link has expired.", code="link-expired")
        self.ids = ids


KEY_PURPOSE = "links"
# ids and expiry in base 36 keep the link short enough for an SMS of two segments
_SHAPE = re.compile(r"^([0-9a-z]{1,12}(?:-[0-9a-z]{1,12}){0,3})-([0-9a-z]{1,8})-([A-Za-z0-9_-]{16})$")
_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def base36(number: int) -> str:
    out = ""
    while True:
        number, digit = divmod(number, 36)
        out = _DIGITS[digit] + out
        if number == 0:
            return out


async def _key(conn: asyncpg.Connection) -> bytes:
    key = await queries.signing_key(conn, purpose=KEY_PURPOSE)
    if key is None:
        await queries.create_signing_key(conn, purpose=KEY_PURPOSE, key=secrets.token_bytes(32))
        key = await queries.signing_key(conn, purpose=KEY_PURPOSE)
    return bytes(key)


def _mac(key: bytes, message: str) -> bytes:
    return hmac.new(key, message.encode(), hashlib.sha256).digest()


def _signature(key: bytes, purpose: str, ids: str, expires: str) -> str:
    return base64.urlsafe_b64encode(_mac(key, f"{purpose}:{ids}:{expires}")[:12]).decode()  # 96 bits


async def sign(conn: asyncpg.Connection, purpose: str, ids: tuple[int, ...], expires: datetime) -> str:
    joined = "-".join(base36(i) for i in ids)
    until = base36(int(expires.timestamp()))
    return f"{joined}-{until}-{_signature(await _key(conn), purpose, joined, until)}"


async def open_link(conn: asyncpg.Connection, purpose: str, token: str, now: datetime) -> tuple[int, ...]:
    """The ids a link names; NotFound if we did not sign it for this purpose, Gone if it expired."""
    match = _SHAPE.match(token)
    if match is None or not hmac.compare_digest(
        match[3], _signature(await _key(conn), purpose, match[1], match[2])
    ):
        raise NotFound("This link is not complete. Open it from the message again.", code="bad-link")
    ids = tuple(int(i, 36) for i in match[1].split("-"))
    if datetime.fromtimestamp(int(match[2], 36), UTC) <= now:
        raise LinkExpired(ids)
    return ids


async def form_token(conn: asyncpg.Connection, session: str) -> str:
    """A form's hidden field tying a POST to the signed-in session that rendered it."""
    return base64.urlsafe_b64encode(_mac(await _key(conn), f"csrf:{session}")).decode()


async def check_form_token(conn: asyncpg.Connection, session: str, given: str) -> bool:
    return hmac.compare_digest(given.encode(), (await form_token(conn, session)).encode())


async def language_of_person(conn: asyncpg.Connection, person_id: int) -> str | None:
    """The language a link's person reads: an expired link is refused in their words."""
    return await queries.person_language(conn, person_id=person_id)
