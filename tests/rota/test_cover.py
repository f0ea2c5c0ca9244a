"""Cover requests: the best candidates are asked by SMS, the first yes takes the place at once,
later yeses are thanked, others are told; nobody in time → the next candidates."""

import asyncio
from datetime import timedelta

import httpx
import pytest

from services.rota import cover
from tests.support.factories import add_member, fictional_phone
from tests.support.scheduling import occurrences_of, plan, tomorrows_pickup
from tests.support.sms import reply

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def volunteers(conn, clock, org, count: int) -> list[tuple[int, str]]:
    made = []
    for n in range(count):
        phone = fictional_phone()
        made.append((await add_member(conn, clock, org, f"Helper {n}", phone=phone), phone))
    return made


async def ask(client, org, occurrence_id, role_id, people_count=2, minutes=60):
    response = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence_id}/roles/{role_id}/cover-requests",
        headers=org.auth(),
        json={"people": people_count, "answer_within_minutes": minutes},
    )
    assert response.status_code == 201, response.text
    return response.json()


async def test_first_yes_wins_later_yes_is_thanked_others_told(client, conn, clock, org):
    await volunteers(conn, clock, org, 3)
    activity = await plan(
        client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    request = await ask(client, org, occurrence["id"], activity["roles"][0]["id"], people_count=3)
    assert len(request["asked"]) == 3 and request["status"] == "open"
    texts = await conn.fetch("SELECT person_id, body FROM outbox WHERE key LIKE 'cover:%' ORDER BY person_id")
    assert len(texts) == 3 and all(f"JA {request['code']}" in t["body"] for t in texts)
    assert texts[0]["body"].startswith("Kan du ta Bread from the bakery tis 3/3 kl 10:00 (driver)?")
    again = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{activity['roles'][0]['id']}/cover-requests",
        headers=org.auth(),
        json={"people": 1},
    )
    assert again.status_code == 409  # one open request per role

    first, second, third = [p for p in request["asked"]]
    phone = dict(await conn.fetch("SELECT id, phone FROM people"))
    no = await reply(conn, clock, phone[third], f"nej {request['code']}", "SM1")
    assert "tack för svaret" in no
    won = await reply(conn, clock, phone[second], f"JA {request['code']}", "SM2")
    assert "Passet är ditt" in won
    late = await reply(conn, clock, phone[first], f"ja {request['code']}", "SM3")
    assert "redan tillsatt" in late
    assigned = await conn.fetch(
        "SELECT person_id FROM assignments WHERE occurrence_id = $1 AND status = 'active'", occurrence["id"]
    )
    assert [r["person_id"] for r in assigned] == [second]
    told = await conn.fetch("SELECT person_id, status FROM outbox WHERE key LIKE 'cover-filled:%'")
    # The one who had not answered was to be told; answering (late) first, the reply told them instead.
    assert [(r["person_id"], r["status"]) for r in told] == [(first, "cancelled")]
    state = await conn.fetchrow("SELECT status, filled_by FROM cover_requests WHERE id = $1", request["id"])
    assert state["status"] == "filled" and state["filled_by"] == second


async def test_nobody_in_time_asks_the_next_then_gives_up(client, conn, clock, org):
    await volunteers(conn, clock, org, 2)
    activity = await plan(
        client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    request = await ask(client, org, occurrence["id"], activity["roles"][0]["id"], people_count=2, minutes=30)
    clock.advance(timedelta(minutes=31))
    assert await cover.continue_expired(conn, clock, "https://volops.test") == 1
    asked = await conn.fetch(
        "SELECT person_id, round FROM cover_asks WHERE request_id = $1 ORDER BY round", request["id"]
    )
    assert [r["round"] for r in asked] == [1, 1, 2, 2]  # the next two: the organisation's own two members
    clock.advance(timedelta(minutes=31))
    await cover.continue_expired(conn, clock, "https://volops.test")
    assert await conn.fetchval("SELECT status FROM cover_requests WHERE id = $1", request["id"]) == "expired"
    late = await reply(conn, clock, org.volunteer_phone, f"JA {request['code']}", "SM9")
    assert "redan tillsatt" in late  # too late: nothing changes
    assert (
        await conn.fetchval("SELECT count(*) FROM assignments WHERE occurrence_id = $1", occurrence["id"])
        == 0
    )


@pytest.mark.now("suite")  # a real API process: at whatever hour the suite stands
async def test_twenty_yes_at_the_same_moment_make_one_assignment(client, conn, clock, org, sms_stack):
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    helpers = await volunteers(conn, clock, org, 20)
    request = await ask(client, org, occurrence["id"], role_id, people_count=20)
    asked = set(request["asked"])
    phones = [phone for person, phone in helpers if person in asked]
    assert len(phones) >= 18

    async with httpx.AsyncClient(timeout=30) as http:
        answers = await asyncio.gather(
            *(
                http.post(
                    f"{sms_stack.fake}/_fake/inbound", json={"from": phone, "body": f"JA {request['code']}"}
                )
                for phone in phones
            )
        )
    replies_sent = [a.json()["reply"] for a in answers]
    assert sum("Passet är ditt" in r for r in replies_sent) == 1, replies_sent
    assert sum("redan tillsatt" in r for r in replies_sent) == len(phones) - 1
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE occurrence_id = $1 AND status = 'active'",
            occurrence["id"],
        )
        == 1
    )


@pytest.mark.now("2026-03-02T22:40")  # late evening in Stockholm: quiet hours until 08:00
async def test_asked_at_night_the_time_to_answer_counts_from_the_morning(client, conn, clock, org):
    await volunteers(conn, clock, org, 2)
    activity = await plan(  # tomorrow 16:00, so the texts wait for the morning window
        client,
        org,
        rrule=None,
        start_local="2026-03-03T16:00:00",
        roles=[{"name": "driver", "min_people": 1, "max_people": 1}],
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    request = await ask(
        client, org, occurrence["id"], activity["roles"][0]["id"], people_count=2, minutes=180
    )
    # The texts leave at 08:00 (07:00 UTC): three hours from then, not 19 minutes after they arrive.
    assert request["expires_at"] == "2026-03-03T10:00:00Z"
    assert request["texts_wait_until"] == "2026-03-03T07:00:00Z"
    clock.advance(timedelta(hours=4))  # 02:40: nothing has expired
    assert await cover.continue_expired(conn, clock, "https://volops.test") == 0
    await client.get("/board/sign-in", params={"token": org.coordinator_token})  # the board's cookie
    page = await client.get(f"/board/occurrences/{occurrence['id']}/roles/{activity['roles'][0]['id']}")
    assert "Sms:en väntar till tis 08:00 (nattvila)." in page.text, page.text[:3000]
