"""An SMS answer means what the person meant: a code names exactly the shift it is about, a bare
JA or NEJ acts on the one open question (or lists them), a wrong code is said to be wrong."""

import pytest

from tests.support.scheduling import PICKUP, occurrences_of, plan, sign_up
from tests.support.sms import reply

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def shifts(client, conn, org, *indexes: int, **overrides) -> list[dict]:
    """The volunteer on the given occurrences of a pickup series; each assignment with its code."""
    activity = await plan(client, org, **overrides)
    occurrences = await occurrences_of(conn, activity["id"])
    signed = [
        (await sign_up(client, org, occurrences[i]["id"], activity["roles"][0]["id"])).json() for i in indexes
    ]
    return [dict(await conn.fetchrow("SELECT * FROM assignments WHERE id = $1", s["id"])) for s in signed]


async def status(conn, assignment: dict) -> str:
    return await conn.fetchval("SELECT status FROM assignments WHERE id = $1", assignment["id"])


async def test_every_reminder_carries_its_shifts_code(client, conn, org):
    (tuesday,) = await shifts(client, conn, org, 0)
    bodies = await conn.fetch("SELECT body FROM outbox WHERE assignment_id = $1", tuesday["id"])
    assert bodies and all(f"JA {tuesday['code']}" in b["body"] for b in bodies)


async def test_no_with_a_code_withdraws_exactly_that_shift(client, conn, clock, org):
    tuesday, friday = await shifts(client, conn, org, 0, 1)
    answer = await reply(conn, clock, org.volunteer_phone, f"NEJ {friday['code']}", "SM1")
    assert "struken från Bread from the bakery fre 6/3" in answer
    assert (await status(conn, friday), await status(conn, tuesday)) == ("withdrawn", "active")
    confirmed = await reply(conn, clock, org.volunteer_phone, f"JA{tuesday['code']}", "SM2")  # no space
    assert "Vi ses tis 3/3 kl 10:00" in confirmed
    assert await conn.fetchval("SELECT confirmed_at FROM assignments WHERE id = $1", tuesday["id"])


async def test_a_wrong_code_says_so_and_changes_nothing(client, conn, clock, org):
    (tuesday,) = await shifts(client, conn, org, 0)
    wrong = "1000" if tuesday["code"] != "1000" else "1001"
    answer = await reply(conn, clock, org.volunteer_phone, f"nej {wrong}", "SM1")
    assert f"ingen öppen fråga med kod {wrong}" in answer
    assert await status(conn, tuesday) == "active"


async def test_a_bare_no_acts_on_the_one_open_question_even_nine_days_ahead(client, conn, clock, org):
    (later,) = await shifts(
        client, conn, org, 0, rrule=None, start_local="2026-03-11T10:00:00"
    )  # nine days away
    answer = await reply(conn, clock, org.volunteer_phone, "Nej, kan inte", "SM1")
    assert "struken från Bread from the bakery" in answer and await status(conn, later) == "withdrawn"


async def test_a_bare_yes_with_several_open_questions_lists_them_with_codes(client, conn, clock, org):
    (tuesday,) = await shifts(client, conn, org, 0)
    other = await plan(
        client, org, title="Sewing group", kind="group_meeting", rrule=None, start_local="2026-03-04T18:00:00"
    )
    occurrence = (await occurrences_of(conn, other["id"]))[0]
    asked = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{other['roles'][0]['id']}/cover-requests",
        headers=org.auth(),
        json={"people": 2},
    )
    assert asked.status_code == 201 and org.volunteer_id in asked.json()["asked"], asked.text
    code = asked.json()["code"]
    answer = await reply(conn, clock, org.volunteer_phone, "ja tack", "SM1")
    assert answer.count("JA ") == 2 and f"JA {tuesday['code']}" in answer and f"JA {code}" in answer
    assert (
        await conn.fetchval("SELECT count(*) FROM assignments WHERE occurrence_id = $1", occurrence["id"])
        == 0
    )
    taken = await reply(conn, clock, org.volunteer_phone, f"ja {code}", "SM2")
    assert "Passet är ditt" in taken


async def test_answers_in_each_language_name_the_code(client, conn, clock, org):
    (tuesday,) = await shifts(client, conn, org, 0, **{"title": PICKUP["title"]})
    await conn.execute("UPDATE people SET language = 'cs' WHERE id = $1", org.volunteer_id)
    answer = await reply(conn, clock, org.volunteer_phone, "NE 9999", "SM1")
    assert "s kódem 9999" in answer and await status(conn, tuesday) == "active"


async def test_a_shared_phone_is_resolved_by_codes_and_ambiguity_asked_back(client, conn, clock, org):
    """A mother and daughter on one number: the coordinator confirms it; a coded answer acts for the
    one it names; a bare NEJ with both asked is answered with the list of codes."""
    refused = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth(),
        json={
            "display_name": "Dotter Delad",
            "phone": org.volunteer_phone,
            "roles": ["volunteer"],
            "sms_consent": True,
        },
    )
    assert refused.status_code == 409  # the same number twice, unconfirmed
    daughter = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth(),
        json={
            "display_name": "Dotter Delad",
            "phone": org.volunteer_phone,
            "roles": ["volunteer"],
            "sms_consent": True,
            "shares_phone": True,
        },
    )
    assert daughter.status_code == 201, daughter.text
    activity = await plan(client, org)
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    role = activity["roles"][0]["id"]
    mothers = (await sign_up(client, org, tuesday["id"], role)).json()
    daughters = (
        await client.post(
            f"/organisations/{org.id}/occurrences/{friday['id']}/assignments",
            headers=org.auth(),
            json={"role_id": role, "person_id": daughter.json()["id"]},
        )
    ).json()
    ask_back = await reply(conn, clock, org.volunteer_phone, "NEJ", "SMS1")
    assert mothers["code"] in ask_back and daughters["code"] in ask_back  # which one?
    assert await status(conn, mothers) == await status(conn, daughters) == "active"
    await reply(conn, clock, org.volunteer_phone, f"NEJ {daughters['code']}", "SMS2")
    assert (await status(conn, daughters), await status(conn, mothers)) == ("withdrawn", "active")
