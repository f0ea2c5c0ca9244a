"""Nothing a volunteer says is lost: a text the service cannot act on as an answer waits in the
board's inbox (who, when, her next shift) until a coordinator has dealt with it; she is told it
reached a person; the coordinator answers by SMS from the page; one close to her shift is texted
to the coordinator on duty; another organisation never sees it."""

import re
from datetime import timedelta

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.scheduling import occurrences_of, plan, sign_up
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")
SICK = "Hej, jag är sjuk idag"


async def tuesdays_pickup(client, conn, org) -> dict:
    """The volunteer on Tuesday's pickup, 3 March 10:00 (a day ahead); her assignment row."""
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    signed = (await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])).json()
    return dict(await conn.fetchrow("SELECT * FROM assignments WHERE id = $1", signed["id"]))


async def waiting_ids(conn) -> list[int]:
    rows = await conn.fetch("SELECT id FROM sms_replies WHERE for_a_person AND done_at IS NULL ORDER BY id")
    return [r["id"] for r in rows]


async def test_a_text_that_is_no_answer_waits_with_who_when_and_her_next_shift(client, conn, clock, org):
    tuesday = await tuesdays_pickup(client, conn, org)
    told = await reply(conn, clock, org.volunteer_phone, SICK, "SM1")
    assert "din samordnare läser ditt meddelande" in told  # not the help text: a person reads it
    await reply(conn, clock, org.volunteer_phone, f"JA {tuesday['code']}", "SM2")  # an answer: acted on
    await reply(conn, clock, org.volunteer_phone, "Ja, men jag blir sen", "SM3")  # an answer that says more
    assert len(await waiting_ids(conn)) == 2
    await signed_in(client, org)
    board = await client.get("/board")
    assert re.search(r'href="/board/inbox">Inkorg <strong class="count">\(2\)</strong>', board.text)
    inbox = await client.get("/board/inbox")
    assert inbox.status_code == 200
    assert SICK in inbox.text and "Ja, men jag blir sen" in inbox.text
    assert (
        "Volunteer of malmo-test" in inbox.text
        and "Nästa pass: Bread from the bakery, tis 3 mars 10:00" in inbox.text
    )
    assert not await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE key LIKE 'inbox-alert:%'"
    )  # a day ahead


async def test_an_answer_goes_by_sms_once_and_done_empties_the_inbox(client, conn, clock, org):
    await tuesdays_pickup(client, conn, org)
    await reply(conn, clock, org.volunteer_phone, SICK, "SM1")
    (text,) = await waiting_ids(conn)
    await signed_in(client, org)
    csrf = await form_token(client, f"/board/inbox/{text}")
    empty = await client.post(f"/board/inbox/{text}/answer", data={"csrf": csrf, "words": ""})
    assert empty.status_code == 422 and "Något i formuläret saknas eller är fel" in empty.text
    for _ in range(2):  # a second tap sends nothing more
        sent = await client.post(
            f"/board/inbox/{text}/answer", data={"csrf": csrf, "words": "Krya på dig, vi ordnar det!"}
        )
        assert sent.status_code == 200 and "Ditt svar är på väg" in sent.text
    answers = await conn.fetch(
        "SELECT to_address, body, kind, answers_reply FROM outbox WHERE kind = 'reply'"
    )
    assert [dict(a) for a in answers] == [
        {
            "to_address": org.volunteer_phone,
            "body": "Krya på dig, vi ordnar det!",
            "kind": "reply",
            "answers_reply": text,
        }
    ]
    talk = await client.get(f"/board/inbox/{text}")
    assert talk.text.index(SICK) < talk.text.index("Krya på dig, vi ordnar det!")  # the conversation in order
    assert talk.text.count("Påminnelse:") == 1  # the reminder due now; tomorrow's 08:00 one is not said yet
    done = await client.post(f"/board/inbox/{text}/done", data={"csrf": csrf})
    assert (
        done.status_code == 200 and "Markerat klart: 1 sms." in done.text and "Inga sms väntar." in done.text
    )
    assert 'class="count"' not in done.text and await waiting_ids(conn) == []


async def test_a_text_close_to_her_shift_is_texted_to_the_coordinator_on_duty(client, conn, clock, org):
    await tuesdays_pickup(client, conn, org)
    clock.advance(timedelta(hours=13))  # 23:00, eleven hours before the pickup
    await reply(conn, clock, org.volunteer_phone, SICK, "SM1")
    alert = await conn.fetchrow("SELECT person_id, body, due_at FROM outbox WHERE key LIKE 'inbox-alert:%'")
    assert (
        alert["person_id"] == org.coordinator_id and alert["due_at"] == clock.now()
    )  # not held till morning
    assert alert["body"].startswith(f'Volunteer skrev: "{SICK}" Hennes nästa pass är tis 3/3 kl 10:00')


async def test_another_organisation_never_sees_the_text(client, conn, clock, org, other_org):
    await tuesdays_pickup(client, conn, org)
    await reply(conn, clock, org.volunteer_phone, SICK, "SM1")
    (text,) = await waiting_ids(conn)
    await signed_in(client, other_org)
    assert SICK not in (await client.get("/board/inbox")).text
    assert (await client.get(f"/board/inbox/{text}")).status_code == 404
    csrf = await form_token(client, "/board/inbox")
    refused = await client.post(f"/board/inbox/{text}/answer", data={"csrf": csrf, "words": "Hej"})
    assert refused.status_code == 404 and not await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE kind = 'reply'"
    )
