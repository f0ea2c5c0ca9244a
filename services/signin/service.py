"""A coordinator types her phone number and gets a six-digit code by SMS: valid 10 minutes, 5 tries,
at most 3 codes an hour per number and 10 per address. The answer is the same whether or not the
number is known, so the page tells nobody who coordinates here. Only a number she proved (a code
sent to it came back) signs her in: one a coordinator merely typed never does. A proven number that
coordinates in several organisations is asked which one."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import asyncpg

from services.access.service import Access, access_of
from services.clock import Clock
from services.db import rows
from services.notices import service as notices
from services.people.phones import BadPhone, normalise_phone
from services.problems import ProblemError
from services.signin.queries import queries

CODE_VALID = timedelta(minutes=10)
MOST_TRIES = 5
PER_NUMBER_AN_HOUR = 3
PER_ADDRESS_AN_HOUR = 10
REGIONS = ("SE", "NO", "CZ")  # the countries of the organisations sharing the service


class TooManyCodes(ProblemError, status=429, title="Too many requests"): ...


def _hash(*parts: str) -> bytes:
    return hashlib.sha256("\0".join(parts).encode()).digest()


def as_typed(raw: str) -> str:
    """One form of the number for the limits and the lookup: E.164 where it reads as a number
    in one of our countries, else what was typed."""
    for region in REGIONS:
        try:
            return normalise_phone(raw, region)
        except BadPhone:
            continue
    return raw.strip()[:40]


async def ask(conn: asyncpg.Connection, clock: Clock, raw_phone: str, address: str) -> None:
    now = clock.now()
    phone = as_typed(raw_phone)
    asked_from = _hash("address", address)
    asked = await queries.asked_recently(
        conn, phone=phone, asked_from=asked_from, since=now - timedelta(hours=1)
    )
    if asked["by_number"] >= PER_NUMBER_AN_HOUR or asked["by_address"] >= PER_ADDRESS_AN_HOUR:
        raise TooManyCodes("Too many codes were asked for; try again in an hour.", code="too-many-codes")
    found = await rows(queries.coordinators_by_proven_phone(conn, phone=phone))
    person = found[0] if found else None
    code = f"{secrets.randbelow(10**6):06d}"
    row_id = await queries.insert_code(
        conn,
        phone=phone,
        person_id=person["id"] if person else None,
        organisation_id=person["organisation_id"] if person else None,
        code_hash=_hash(phone, code),
        asked_from=asked_from,
        now=now,
        expires_at=now + CODE_VALID,
    )
    if person is not None:  # quiet hours do not hold a code back: it is needed now
        await notices.tell(
            conn,
            clock,
            person["id"],
            key=f"sign-in:{row_id}",
            template="sign_in_code",
            organisation_id=person["organisation_id"],
            before=now + CODE_VALID,
            code=code,
        )


async def check(conn: asyncpg.Connection, clock: Clock, raw_phone: str, code: str) -> list[Access]:
    """Who may sign in when the code is right (one, or one per organisation the proven number
    coordinates in); nobody otherwise."""
    phone = as_typed(raw_phone)
    async with conn.transaction():
        found = await queries.try_code(conn, phone=phone, now=clock.now(), most_tries=MOST_TRIES)
        if found is None or found["person_id"] is None:
            return []
        if not secrets.compare_digest(found["code_hash"], _hash(phone, code.strip())):
            return []
        await queries.use_code(conn, id=found["id"], now=clock.now())
        return [
            await access_of(conn, person["id"], person["organisation_id"])
            for person in await rows(queries.coordinators_by_proven_phone(conn, phone=phone))
        ]
