"""Every withdrawal reaches a coordinator: who left which coming shift, how and when shows on the
board until a coordinator has seen it, however it was made; one within 48 hours of the shift is
texted at once to the coordinator on duty."""

from datetime import timedelta

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.scheduling import occurrences_of, plan, sign_up
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def on_pickup(client, conn, org, index: int) -> dict:
    """The volunteer on one of the pickup's dates (0: Tuesday 3 March, 2: Tuesday 10 March)."""
    activity = await plan(client, org)
    occurrence = (await occurrences_of(conn, activity["id"]))[index]
    signed = (await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])).json()
    return dict(await conn.fetchrow("SELECT * FROM assignments WHERE id = $1", signed["id"]))


async def alerts(conn) -> list:
    return await conn.fetch("SELECT person_id, body FROM outbox WHERE key LIKE 'left:%'")


async def test_a_no_by_sms_a_day_ahead_texts_the_coordinator_and_shows_until_seen(client, conn, clock, org):
    tuesday = await on_pickup(client, conn, org, 0)
    await reply(conn, clock, org.volunteer_phone, f"NEJ {tuesday['code']}", "SM1")
    (alert,) = await alerts(conn)
    assert alert["person_id"] == org.coordinator_id
    assert alert["body"].startswith("Volunteer kan inte komma till Bread from the bakery tis 3/3 kl 10:00")
    await signed_in(client, org)
    board = await client.get("/board")
    assert (
        "Har lämnat sitt pass" in board.text
        and "Volunteer of malmo-test lämnade Bread from the bakery" in board.text
    )
    assert "med sms" in board.text
    csrf = await form_token(client, "/board")
    seen = await client.post(f"/board/left/{tuesday['id']}/seen", data={"csrf": csrf})
    assert seen.status_code == 200 and "Har lämnat sitt pass" not in seen.text
    again = await client.post(f"/board/left/{tuesday['id']}/seen", data={"csrf": csrf})
    assert again.status_code == 404  # seen already: nothing half-done, a clear answer


async def test_a_withdrawal_a_week_ahead_shows_how_but_texts_nobody(client, conn, clock, org, other_org):
    later = await on_pickup(client, conn, org, 2)
    ended = await client.delete(
        f"/organisations/{org.id}/assignments/{later['id']}", headers=org.auth("volunteer")
    )
    assert ended.status_code == 200, ended.text
    assert await alerts(conn) == []  # a week ahead: the board is enough
    await signed_in(client, org)
    board = await client.get("/board")
    assert "Volunteer of malmo-test lämnade Bread from the bakery" in board.text and "via API:t" in board.text
    await signed_in(client, other_org)
    assert "malmo-test lämnade" not in (await client.get("/board")).text


async def test_the_date_shows_who_left_even_where_the_minimum_is_met(client, conn, clock, org):
    """A role with no minimum: the place she left still shows open on the date, with who, when
    and how, and "find cover", until a coordinator has seen it."""
    activity = await plan(client, org, roles=[{"name": "driver", "min_people": 0, "max_people": 2}])
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    signed = (await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])).json()
    await reply(conn, clock, org.volunteer_phone, f"NEJ {signed['code']}", "SM2")
    await signed_in(client, org)
    page = f"/board/occurrences/{occurrence['id']}"
    shown = (await client.get(page)).text
    assert "Volunteer of malmo-test lämnade, mån 10:00, med sms" in shown
    assert 'class="card urgent"' in shown and "Hitta ersättare: driver" in shown
    csrf = await form_token(client, page)
    await client.post(f"/board/left/{signed['id']}/seen", data={"csrf": csrf})
    after = (await client.get(page)).text
    assert "lämnade, mån" not in after and "Hitta ersättare" not in after


async def test_the_board_says_what_changed_since_she_last_looked(client, conn, clock, org):
    tuesday = await on_pickup(client, conn, org, 0)
    await signed_in(client, org)
    first = (await client.get("/board")).text
    assert 'id="since"' not in first  # her first look: everything on the board is new
    clock.advance(timedelta(minutes=5))
    await reply(conn, clock, org.volunteer_phone, f"NEJ {tuesday['code']}", "SM3")
    await reply(conn, clock, org.volunteer_phone, "Hej, jag är sjuk idag", "SM4")
    await conn.execute(
        "UPDATE assignments SET seen_at = now() WHERE id = $1", tuesday["id"]
    )  # another saw it
    clock.advance(timedelta(minutes=5))
    again = (await client.get("/board")).text
    since = again[again.index('id="since"') :]
    since = since[: since.index("</section>")]
    assert "Sedan du tittade sist, mån 2 mars 10:00" in since
    assert "Volunteer of malmo-test lämnade Bread from the bakery" in since and "med sms" in since
    assert "1 sms från en volontär" in since
    third = (await client.get("/board")).text  # looked at now: nothing new since
    assert "Ingen har lämnat ett pass och inga sms har kommit." in third
