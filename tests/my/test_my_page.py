"""A volunteer's own page: the link texted when she is added signs her browser in (the secret
leaves the address bar, and never carries a coordinator's powers); she sees her shifts, takes an
open one, says she can't come, watches a full one and is texted when a place frees; another
person's cookie shows only his; an SMS "LINK" brings a fresh link."""

import re
from datetime import timedelta

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import add_member, fictional_phone
from tests.support.scheduling import occurrences_of, plan, sign_up
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")  # a Monday
LINK = re.compile(r"(/my/sign-in\?token=vo_[A-Za-z0-9_-]+)")


async def texted_link(conn, person_id: int) -> str:
    body = await conn.fetchval(
        "SELECT body FROM outbox WHERE person_id = $1 AND key LIKE 'page-link:%' ORDER BY id DESC LIMIT 1",
        person_id,
    )
    assert body, "no page link was texted"
    return LINK.search(body)[1]


async def open_link(client, conn, person_id: int, start: str = "/my") -> None:
    """Her texted link opened in a fresh browser: signed in, and on to her page without the secret."""
    client.cookies.clear()
    signed = await client.get(await texted_link(conn, person_id), follow_redirects=False)
    assert signed.status_code == 303 and signed.headers["location"] == start


async def test_a_new_volunteer_gets_her_link_and_sees_her_shifts(client, conn, clock, org):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/people")
    phone = fictional_phone()
    await client.post(
        "/board/people",
        data={
            "csrf": csrf,
            "display_name": "Nora Ny",
            "phone": phone,
            "role": "volunteer",
            "sms_consent": "true",
        },
    )
    nora = await conn.fetchval("SELECT id FROM people WHERE display_name = 'Nora Ny'")
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    await client.post(
        f"/organisations/{org.id}/occurrences/{tuesday['id']}/assignments",
        headers=org.auth(),
        json={"role_id": activity["roles"][0]["id"], "person_id": nora},
    )
    await open_link(client, conn, nora)
    page = await client.get("/my")
    assert page.status_code == 200 and "Mina pass" in page.text
    assert re.search(f'data-shift="{tuesday["id"]}"', page.text) and "tisdag 3 mars" in page.text
    assert (await client.get(f"/my/shifts/{tuesday['id']}")).status_code == 200


async def test_a_page_link_never_carries_a_coordinators_powers(client, conn, clock, org):
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'volunteer')"
        " ON CONFLICT DO NOTHING",
        org.id,
        org.coordinator_id,
    )
    sent = await client.post(
        f"/organisations/{org.id}/people/{org.coordinator_id}/page-link", headers=org.auth()
    )
    assert sent.status_code == 202 and sent.json() == {"sent": True}
    secret = (await texted_link(conn, org.coordinator_id)).split("token=")[1]
    people = await client.get(
        f"/organisations/{org.id}/people", headers={"Authorization": f"Bearer {secret}"}
    )
    assert people.status_code == 403


async def test_take_an_open_shift_watch_a_full_one_and_hear_when_it_frees(client, conn, clock, org):
    ida = await add_member(conn, clock, org, "Ida Väntar", phone=fictional_phone())
    activity = await plan(client, org, roles=[{"name": "driver", "min_people": 1, "max_people": 1}])
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    role = activity["roles"][0]["id"]
    held = (await sign_up(client, org, friday["id"], role)).json()  # the other volunteer holds Friday
    await client.post(f"/organisations/{org.id}/people/{ida}/page-link", headers=org.auth())
    await open_link(client, conn, ida)
    page = await client.get("/my")
    assert f'data-offer="{tuesday["id"]}"' in page.text.split('id="full-shifts"')[0]  # open
    assert f'data-offer="{friday["id"]}"' in page.text.split('id="full-shifts"')[1]  # full
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    taken = await client.post(
        "/my/take",
        data={"csrf": csrf, "organisation_id": org.id, "occurrence_id": tuesday["id"], "role_id": role},
        follow_redirects=False,
    )
    assert taken.status_code == 303
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE person_id = $1 AND occurrence_id = $2 AND status = 'active'",
            ida,
            tuesday["id"],
        )
        == 1
    )
    await client.post(
        "/my/watch", data={"csrf": csrf, "organisation_id": org.id, "occurrence_id": friday["id"]}
    )
    assert "Du får ett sms när en plats blir ledig." in (await client.get(f"/my/shifts/{friday['id']}")).text
    await reply(conn, clock, org.volunteer_phone, f"NEJ {held['code']}", "SM1")  # he can't come
    told = await conn.fetch("SELECT body FROM outbox WHERE person_id = $1 AND key LIKE 'place-free:%'", ida)
    assert len(told) == 1 and "ledig" in told[0]["body"]
    refused = await client.post(
        "/my/take",
        data={"csrf": "wrong", "organisation_id": org.id, "occurrence_id": friday["id"], "role_id": role},
    )
    assert refused.status_code == 403  # a form not rendered for her session
    await client.post(
        "/my/take",
        data={"csrf": csrf, "organisation_id": org.id, "occurrence_id": friday["id"], "role_id": role},
    )
    assert await conn.fetchval("SELECT count(*) FROM shift_watches WHERE person_id = $1", ida) == 0


async def test_i_cant_come_frees_the_place_and_the_board_shows_the_gap(client, conn, clock, org):
    activity = await plan(client, org, roles=[{"name": "driver", "min_people": 1, "max_people": 1}])
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    held = (await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])).json()
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    csrf = await form_token(client, "/my")
    clock.advance(timedelta(hours=2))  # Monday noon: Tuesday 10:00 is inside the 24-hour cut-off
    gone = await client.post(
        f"/my/assignments/{held['id']}/cant-come", data={"csrf": csrf}, follow_redirects=False
    )
    assert gone.status_code == 303
    row = await conn.fetchrow("SELECT status, late FROM assignments WHERE id = $1", held["id"])
    assert row["status"] == "withdrawn" and row["late"]  # within the cut-off: late, still allowed
    client.cookies.clear()
    await signed_in(client, org)
    assert f'href="/board/occurrences/{tuesday["id"]}/roles/' in (await client.get("/board")).text


async def test_i_cant_come_asks_once_and_can_be_taken_back_until_a_coordinator_acts(client, conn, clock, org):
    activity = await plan(client, org, roles=[{"name": "driver", "min_people": 1, "max_people": 1}])
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    held = (await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])).json()
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    page = await client.get("/my")
    # One tap opens the question, the second says it: nothing happens on the first.
    assert "<summary>Jag kan inte komma</summary>" in page.text and "Ja, jag kan inte komma" in page.text
    csrf = await form_token(client, "/my")
    gone = await client.post(f"/my/assignments/{held['id']}/cant-come", data={"csrf": csrf})
    assert "Du har sagt att du inte kan komma till Bread from the bakery" in gone.text
    (alert,) = await conn.fetch("SELECT key, status FROM outbox WHERE key LIKE 'left:%'")
    assert alert["status"] == "pending"  # a day ahead: the coordinator on duty is about to hear
    back = await client.post(
        f"/my/assignments/{held['id']}/come-after-all", data={"csrf": csrf}, follow_redirects=False
    )
    assert back.status_code == 303
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", held["id"]) == "active"
    assert await conn.fetchval("SELECT status FROM outbox WHERE key LIKE 'left:%'") == "cancelled"
    assert "Skönt att du kan: passet är ditt igen." in (await client.get(back.headers["location"])).text
    reminders = await conn.fetch(
        "SELECT status FROM outbox WHERE assignment_id = $1 AND kind = 'reminder' AND status = 'pending'",
        held["id"],
    )
    assert reminders  # her reminders came back

    # Once a coordinator has seen her leaving, only a call undoes it.
    await client.post(f"/my/assignments/{held['id']}/cant-come", data={"csrf": csrf})
    await conn.execute("UPDATE outbox SET status = 'sent' WHERE key LIKE 'left:%' AND status = 'pending'")
    await conn.execute("UPDATE assignments SET seen_at = now() WHERE id = $1", held["id"])
    late = await client.post(f"/my/assignments/{held['id']}/come-after-all", data={"csrf": csrf})
    assert late.status_code == 409 and "En samordnare har redan gjort något åt det" in late.text
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", held["id"]) == "withdrawn"


async def test_taking_it_back_after_the_alert_went_tells_the_coordinator(client, conn, clock, org):
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    held = (await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])).json()
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    csrf = await form_token(client, "/my")
    await client.post(f"/my/assignments/{held['id']}/cant-come", data={"csrf": csrf})
    await conn.execute("UPDATE outbox SET status = 'sent' WHERE key LIKE 'left:%'")  # she was told
    await client.post(f"/my/assignments/{held['id']}/come-after-all", data={"csrf": csrf})
    (follow_up,) = await conn.fetch("SELECT person_id, body FROM outbox WHERE key LIKE 'came-back:%'")
    assert follow_up["person_id"] == org.coordinator_id
    assert follow_up["body"].startswith(
        "Volunteer kan komma till Bread from the bakery tis 3/3 kl 10:00 ändå."
    )


async def test_another_persons_cookie_shows_only_his_shifts(client, conn, clock, org):
    bo = await add_member(conn, clock, org, "Bo Annan", phone=fictional_phone())
    activity = await plan(client, org)
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    role = activity["roles"][0]["id"]
    mine = (await sign_up(client, org, tuesday["id"], role)).json()
    for person in (org.volunteer_id, bo):
        await client.post(f"/organisations/{org.id}/people/{person}/page-link", headers=org.auth())
    await open_link(client, conn, bo)
    page = await client.get("/my")
    assert f'data-shift="{tuesday["id"]}"' not in page.text
    csrf = await form_token(client, "/my")
    other = await client.post(f"/my/assignments/{mine['id']}/cant-come", data={"csrf": csrf})
    assert other.status_code == 404
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", mine["id"]) == "active"


async def test_an_sms_link_asks_for_a_fresh_link_in_any_language(client, conn, clock, org):
    for n, word in enumerate(("LINK", "länk", "Lenke", "ODKAZ")):
        answer = await reply(conn, clock, org.volunteer_phone, word, f"SM{n}")
        assert "<Message>" not in answer  # the link comes as its own text
    bodies = await conn.fetch(
        "SELECT body FROM outbox WHERE person_id = $1 AND key LIKE 'page-link:%'", org.volunteer_id
    )
    assert len(bodies) == 4 and all(LINK.search(b["body"]) for b in bodies)


async def test_without_a_working_link_she_is_told_how_to_get_one(client, conn, clock, org):
    page = await client.get("/my")
    assert page.status_code == 401 and ("LÄNK" in page.text or "LINK" in page.text)
    dead = await client.get("/my/sign-in", params={"token": "vo_nothing-like-this"})
    assert dead.status_code == 401


async def test_a_shift_with_a_role_still_open_is_offered_not_watched(client, conn, clock, org):
    ida = await add_member(conn, clock, org, "Ida Båda", phone=fictional_phone())
    roles = [
        {"name": "driver", "min_people": 1, "max_people": 1},
        {"name": "helper", "min_people": 0, "max_people": 1},
    ]
    activity = await plan(client, org, roles=roles)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])  # the driver's place is taken
    await client.post(f"/organisations/{org.id}/people/{ida}/page-link", headers=org.auth())
    await open_link(client, conn, ida)
    page = (await client.get(f"/my/shifts/{tuesday['id']}")).text
    assert page.count(f'data-offer="{tuesday["id"]}"') == 1 and "Ta passet" in page
    main = (await client.get("/my")).text
    assert (
        f'data-offer="{tuesday["id"]}"' not in main.split('id="full-shifts"')[-1]
        or 'id="full-shifts"' not in main
    )


async def test_she_offers_a_shift_to_a_colleague_who_takes_it_over(client, conn, clock, org):
    sara = await add_member(conn, clock, org, "Sara Kollega", phone=fictional_phone())
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    mine = (await sign_up(client, org, tuesday["id"], activity["roles"][0]["id"])).json()
    for person in (org.volunteer_id, sara):
        await client.post(f"/organisations/{org.id}/people/{person}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    page = (await client.get("/my")).text
    assert f'<option value="{sara}">Sara K.</option>' in page  # first name and initial
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    await client.post(f"/my/assignments/{mine['id']}/offer", data={"csrf": csrf, "offered_to": str(sara)})
    told = await conn.fetchval(
        "SELECT body FROM outbox WHERE person_id = $1 AND key LIKE 'swap-offered:%'", sara
    )
    assert told and "Bread from the bakery" in told
    assert "Ta tillbaka erbjudandet" in (await client.get("/my")).text
    await open_link(client, conn, sara)
    offered = (await client.get("/my")).text
    offer_id = re.search(r'data-swap="(\d+)"', offered)[1]
    csrf = re.search(r'name="csrf" value="([^"]+)"', offered)[1]
    taken = await client.post(
        f"/my/offers/{offer_id}/take", data={"csrf": csrf, "organisation_id": org.id}, follow_redirects=False
    )
    assert taken.status_code == 303
    holders = await conn.fetch(
        "SELECT person_id FROM assignments WHERE occurrence_id = $1 AND status = 'active'", tuesday["id"]
    )
    assert [h["person_id"] for h in holders] == [sara]
    # Handed over, the place never stood open: the board shows nobody who "left".
    client.cookies.clear()
    await signed_in(client, org)
    assert "Har lämnat sitt pass" not in (await client.get("/board")).text


async def test_imported_volunteers_get_their_link_and_links_can_be_switched_off(client, conn, clock, org):
    sheet = "namn;telefon;sms\nImma Import;070-174 06 81;ja\nUtan Sms;070-174 06 82;nej\n"
    imported = await client.post(
        f"/organisations/{org.id}/people/import",
        headers=org.auth() | {"content-type": "text/csv"},
        content=sheet,
    )
    assert imported.status_code == 200, imported.text
    imma = await conn.fetchval("SELECT id FROM people WHERE display_name = 'Imma Import'")
    utan = await conn.fetchval("SELECT id FROM people WHERE display_name = 'Utan Sms'")
    await open_link(client, conn, imma)
    assert "Hej Imma!" in (await client.get("/my")).text
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE person_id = $1", utan) == 0  # no consent


async def test_a_coordinator_sends_the_link_from_her_page_and_switches_links_off(client, conn, clock, org):
    await signed_in(client, org)
    person_page = f"/board/people/{org.volunteer_id}"
    csrf = await form_token(client, person_page)
    sent = await client.post(
        f"{person_page}/page-link", data={"csrf": csrf, "send": "1"}, follow_redirects=False
    )
    assert sent.status_code == 303 and "sent=1" in sent.headers["location"]
    link = await texted_link(conn, org.volunteer_id)
    await client.post(f"{person_page}/page-link", data={"csrf": csrf, "off": "1"})
    client.cookies.clear()
    dead = await client.get(link, follow_redirects=False)
    assert dead.status_code == 401 and "LÄNK" in dead.text  # switched off: how to get a new one


async def test_the_past_month_is_greyed_and_later_shifts_are_not(client, conn, clock, org):
    activity = await plan(client, org)
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    for day in (tuesday, friday):
        await sign_up(client, org, day["id"], activity["roles"][0]["id"])
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    clock.advance(timedelta(days=2))  # Wednesday: Tuesday is over, Friday to come
    await open_link(client, conn, org.volunteer_id)
    page = (await client.get("/my")).text
    assert f'<section class="card past" data-shift="{tuesday["id"]}">' in page
    assert f'<section class="card" data-shift="{friday["id"]}">' in page


async def test_her_page_shows_ten_open_shifts_and_the_rest_a_tap_away(client, conn, clock, org):
    await plan(client, org)  # Tuesdays and Fridays, a driver's place open on each
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    first = (await client.get("/my")).text
    listed = first.split('id="open-shifts"')[1].split("</div>")[0].count("data-offer=")
    assert listed == 10 and "(6 till)" in first and 'href="/my/open#open-shifts"' in first
    # All of them by week, fifteen to a page: eight weeks of Tuesdays and Fridays.
    one = (await client.get("/my/open")).text
    two = (await client.get("/my/open", params={"page": 2})).text
    assert one.count("data-offer=") == 15 and two.count("data-offer=") == 1
    assert (
        one.count("<h2>vecka ") == 8 and "Sida 1 av 2" in one and 'href="/my/open?page=2#open-shifts"' in one
    )
    assert (await client.get("/my/open", params={"page": 99})).status_code == 200  # the last page
