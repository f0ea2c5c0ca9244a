"""A number counts once it is proven: a person changing her own number gets a six-digit code on the
new number, and the change happens when the code comes back (valid 10 minutes, 5 tries, 3 codes an
hour). Until then her old number stays, and nothing is sent to the new one but the code."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import asyncpg

from services.clock import Clock
from services.notices import service as notices
from services.people.queries import queries
from services.problems import ProblemError, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {"too-many-codes": N_("Too many codes were asked for. Try again in an hour, or use your sign-in link.")}
)

CODE_VALID = timedelta(minutes=10)
MOST_TRIES = 5
PER_PERSON_AN_HOUR = 3


class TooManyCodes(ProblemError, status=429, title="Too many requests"): ...


def _hash(phone: str, code: str) -> bytes:
    return hashlib.sha256(f"phone-proof\0{phone}\0{code}".encode()).digest()


async def ask(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int, phone: str
) -> None:
    """A code texted to `phone` (now, even in quiet hours: she is waiting for it)."""
    now = clock.now()
    if await queries.phone_proofs_since(conn, person_id=person_id, since=now - timedelta(hours=1)) >= (
        PER_PERSON_AN_HOUR
    ):
        raise TooManyCodes("Too many codes were asked for; try again in an hour.", code="too-many-codes")
    code = f"{secrets.randbelow(10**6):06d}"
    proof_id = await queries.insert_phone_proof(
        conn,
        organisation_id=organisation_id,
        person_id=person_id,
        phone=phone,
        code_hash=_hash(phone, code),
        now=now,
        expires_at=now + CODE_VALID,
    )
    await notices.send_code(
        conn,
        clock,
        person_id,
        phone,
        key=f"phone-proof:{proof_id}",
        code=code,
        organisation_id=organisation_id,
        before=now + CODE_VALID,
    )


async def proven(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int, code: str
) -> str | None:
    """The number her newest live code was sent to, when `code` is it; None otherwise."""
    now = clock.now()
    found = await queries.try_phone_proof(
        conn, organisation_id=organisation_id, person_id=person_id, now=now, most_tries=MOST_TRIES
    )
    if found is None or not secrets.compare_digest(found["code_hash"], _hash(found["phone"], code.strip())):
        return None
    await queries.use_phone_proof(conn, id=found["id"], now=now)
    return found["phone"]


async def waiting(conn: asyncpg.Connection, clock: Clock, organisation_id: int, person_id: int) -> str | None:
    return await queries.waiting_phone(
        conn, organisation_id=organisation_id, person_id=person_id, now=clock.now()
    )
