"""Signing in to the board with a code by SMS: six digits, ten minutes, five tries, limits per
number and per address, and the same answer whether or not the number is known."""

import re
from datetime import timedelta

import pytest

from services.signin import service as signin
from tests.support.factories import fictional_phone

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def coordinator_phone(conn, org) -> str:
    """A number the coordinator proved is hers (a code sent to it came back)."""
    phone = fictional_phone()
    await conn.execute(
        "UPDATE people SET phone = $2, sms_consent = true, phone_proven_at = now() WHERE id = $1",
        org.coordinator_id,
        phone,
    )
    return phone


async def code_sent(conn, kind: str = "sign-in") -> str:
    """The code in the newest text of its kind, while it waits to go out (sent, it is not kept)."""
    body = await conn.fetchval(
        "SELECT body FROM outbox WHERE key LIKE $1 || ':%' ORDER BY id DESC LIMIT 1", kind
    )
    return re.search(r"\b(\d{6})\b", body)[1]


async def test_a_coordinator_signs_in_with_the_code_from_the_sms(client, conn, org):
    phone = await coordinator_phone(conn, org)
    asked = await client.post("/board/sign-in/code", data={"phone": phone})
    assert asked.status_code == 200 and "a code is on its way by SMS" in asked.text
    code = await code_sent(conn)
    assert await conn.fetchval("SELECT due_at FROM outbox WHERE key LIKE 'sign-in:%'") is not None
    signed = await client.post(
        "/board/sign-in/code/check", data={"phone": phone, "code": code}, follow_redirects=False
    )
    assert signed.status_code == 303 and signed.headers["location"] == "/board"
    assert (await client.get("/board")).status_code == 200
    again = await client.post("/board/sign-in/code/check", data={"phone": phone, "code": code})
    assert again.status_code == 401  # a code works once


async def test_an_unknown_number_gets_the_same_answer_and_no_sms(client, conn, org):
    unknown = await client.post("/board/sign-in/code", data={"phone": fictional_phone()})
    assert unknown.status_code == 200 and "a code is on its way by SMS" in unknown.text
    assert await conn.fetchval("SELECT count(*) FROM outbox") == 0
    volunteer = await client.post("/board/sign-in/code", data={"phone": org.volunteer_phone})
    assert volunteer.status_code == 200 and await conn.fetchval("SELECT count(*) FROM outbox") == 0


async def test_five_tries_then_the_code_is_dead_and_it_expires_after_ten_minutes(client, conn, clock, org):
    phone = await coordinator_phone(conn, org)
    await client.post("/board/sign-in/code", data={"phone": phone})
    code = await code_sent(conn)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(signin.MOST_TRIES):
        refused = await client.post("/board/sign-in/code/check", data={"phone": phone, "code": wrong})
        assert refused.status_code == 401 and "That code does not work" in refused.text
    late = await client.post("/board/sign-in/code/check", data={"phone": phone, "code": code})
    assert late.status_code == 401  # the right code after five wrong ones
    await client.post("/board/sign-in/code", data={"phone": phone})
    fresh = await code_sent(conn)
    clock.advance(timedelta(minutes=11))
    expired = await client.post("/board/sign-in/code/check", data={"phone": phone, "code": fresh})
    assert expired.status_code == 401


async def test_codes_are_limited_per_number_and_per_address(client, conn, org):
    phone = await coordinator_phone(conn, org)
    for _ in range(signin.PER_NUMBER_AN_HOUR):
        assert (await client.post("/board/sign-in/code", data={"phone": phone})).status_code == 200
    limited = await client.post("/board/sign-in/code", data={"phone": phone})
    assert limited.status_code == 429 and "Too many codes" in limited.text
    assert await conn.fetchval("SELECT count(*) FROM outbox") == signin.PER_NUMBER_AN_HOUR
    others = [fictional_phone() for _ in range(signin.PER_ADDRESS_AN_HOUR)]
    codes = [(await client.post("/board/sign-in/code", data={"phone": p})).status_code for p in others]
    assert codes.count(429) >= 1  # this address has asked too often, whatever the numbers
