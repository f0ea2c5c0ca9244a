"""The rest of her page: a calendar link she subscribes to (webcal, QR code, what to press per app;
a new one stops the old), her settings and hours, when she can help; and a partner contact
answering two requests from one page and withdrawing a confirmed date."""

import re

import pytest

from tests.bookings.test_bookings import GROUP, ask, room
from tests.my.test_my_page import open_link
from tests.support.factories import make_partner
from tests.support.scheduling import plan

pytestmark = pytest.mark.now("2026-03-02T10:00")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_of(client, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return CSRF.search(page.text)[1]


async def test_her_calendar_link_is_shown_again_the_same_and_a_leak_stops_it(client, conn, clock, org):
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    assert "Gör min kalenderlänk" in (await client.get("/my/calendar")).text
    made = await client.post("/my/calendar", data={"csrf": await csrf_of(client, "/my/calendar")})
    assert made.status_code == 200 and "<svg" in made.text
    first = re.search(r'href="(webcal://[^"]+)"', made.text)[1]
    assert all(app in made.text for app in ("Google", "Apple", "Outlook", "Thunderbird"))
    feed = first.replace("webcal://", "http://", 1).split("/feeds/", 1)[1]
    assert (await client.get(f"/feeds/{feed}")).status_code == 200
    assert "calendar.google.com/calendar/render?cid=webcal%3A%2F%2F" in made.text  # works on a phone
    # For another phone: the same link again, so nothing she subscribed breaks.
    page = (await client.get("/my/calendar")).text
    assert "Visa min kalenderlänk" in page
    again = await client.post("/my/calendar", data={"csrf": CSRF.search(page)[1]})
    assert re.search(r'href="(webcal://[^"]+)"', again.text)[1] == first
    assert "samma adress" in again.text
    assert await conn.fetchval("SELECT count(*) FROM feed_subscriptions") == 1
    # Nothing in the database gives it back without the key: its hash and a random part only.
    row = await conn.fetchrow("SELECT token_hash, link_nonce FROM feed_subscriptions")
    assert feed.removesuffix(".ics").encode() not in row["token_hash"] + row["link_nonce"]
    # One leaked: a new one, and the old ones stop.
    leaked = await client.post(
        "/my/calendar", data={"csrf": await csrf_of(client, "/my/calendar"), "stop_old": "1"}
    )
    third = re.search(r'href="(webcal://[^"]+)"', leaked.text)[1]
    assert third != first and (await client.get(f"/feeds/{feed}")).status_code == 410


async def test_a_link_made_before_the_key_is_kept_working_beside_a_new_one(client, conn, clock, org):
    await conn.execute(
        "INSERT INTO feed_subscriptions (kind, organisation_id, person_id, token_hash, created_by)"
        " VALUES ('personal', $1, $2, sha256('vf_made-before-the-key'), $2)",
        org.id,
        org.volunteer_id,
    )
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    page = (await client.get("/my/calendar")).text
    assert "Hämta en kalenderlänk" in page and "Visa min kalenderlänk" not in page
    made = await client.post("/my/calendar", data={"csrf": CSRF.search(page)[1]})
    assert "Visas bara nu" in made.text
    assert await conn.fetchval("SELECT count(*) FROM feed_subscriptions WHERE revoked_at IS NULL") == 2


async def test_her_settings_change_language_sms_and_reminders(client, conn, clock, org):
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    saved = await client.post(
        "/my/settings",
        data={"csrf": await csrf_of(client, "/my/settings"), "language": "nb", "reminder_hours": "24, 3"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    person = await conn.fetchrow(
        "SELECT language, sms_consent, reminder_offsets_minutes FROM people WHERE id = $1", org.volunteer_id
    )
    assert (person["language"], person["sms_consent"], person["reminder_offsets_minutes"]) == (
        "nb",
        False,
        [180, 1440],
    )
    assert "Innstillinger" in (await client.get("/my/settings")).text  # the page follows her language
    bad = await client.post(
        "/my/settings", data={"csrf": await csrf_of(client, "/my/settings"), "language": "xx"}
    )
    assert bad.status_code == 422


async def test_when_she_can_help(client, conn, clock, org):
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    csrf = await csrf_of(client, "/my/availability")
    saved = await client.post(
        "/my/availability",
        data={
            "csrf": csrf,
            "weekday": "2",
            "from": "09:00",
            "to": "13:00",
            "away_from": "2026-03-20",
            "away_until": "2026-03-22",
            "away_note": "",
        },
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert (
        await conn.fetchval("SELECT count(*) FROM availability WHERE person_id = $1", org.volunteer_id) == 1
    )
    assert await conn.fetchval("SELECT count(*) FROM blackouts WHERE person_id = $1", org.volunteer_id) == 1
    wrong = await client.post(
        "/my/availability", data={"csrf": csrf, "weekday": "2", "from": "13:00", "to": "25:00"}
    )
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text
    # Five weekdays at the same times, in one save.
    csrf = await csrf_of(client, "/my/availability")
    week = await client.post(
        "/my/availability",
        data={"csrf": csrf, "days": list("12345"), "days_from": "08:00", "days_to": "12:00"},
        follow_redirects=False,
    )
    assert week.status_code == 303
    days = await conn.fetch(
        "SELECT weekday, start_local FROM availability WHERE person_id = $1 ORDER BY weekday",
        org.volunteer_id,
    )
    assert [(d["weekday"], str(d["start_local"])) for d in days] == [(n, "08:00:00") for n in range(1, 6)]


async def test_a_partner_answers_two_requests_from_one_page(client, conn, clock, org):
    partner = await make_partner(conn, clock)
    venue = await room(client, partner, org.id)
    first = await plan(client, org, **GROUP)
    second = await plan(
        client,
        org,
        **(
            GROUP
            | {
                "title": "Parents evening",
                "rrule": "FREQ=WEEKLY;COUNT=2",
                "start_local": "2026-03-05T18:00:00",
            }
        ),
    )
    await ask(client, org, first["id"], venue["id"])
    await ask(client, org, second["id"], venue["id"])
    sent = await client.post(
        f"/organisations/{partner.id}/people/{partner.contact_id}/page-link", headers=partner.auth()
    )
    assert sent.json() == {"sent": True}
    await open_link(client, conn, partner.contact_id, start="/my/rooms")  # her rooms first
    page = await client.get("/my/rooms")
    assert "Parish hall" in page.text and "Parents evening" in page.text and "Women&#39;s group" in page.text
    csrf = CSRF.search(page.text)[1]
    await client.post("/my/rooms", data={"csrf": csrf, "confirm_all": "1"})
    states = dict(await conn.fetch("SELECT status, count(*) FROM bookings GROUP BY status"))
    assert states == {"confirmed": 14}
    one = await conn.fetchval("SELECT min(id) FROM bookings")
    await client.post("/my/rooms", data={"csrf": csrf, "decline": str(one)})
    assert await conn.fetchval("SELECT status FROM bookings WHERE id = $1", one) == "declined"
    told = await conn.fetchval("SELECT count(*) FROM outbox WHERE key LIKE 'booking-withdrawn:%'")
    assert told >= 1  # the borrowing coordinators hear of it at once
    stranger = await client.post("/my/rooms", data={"csrf": csrf, "confirm": "999999999"})
    assert stranger.status_code == 404


async def test_a_contact_who_also_volunteers_is_told_of_waiting_room_dates(client, conn, clock, org):
    partner = await make_partner(conn, clock)
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'volunteer')",
        partner.id,
        partner.contact_id,
    )
    venue = await room(client, partner, org.id)
    await ask(client, org, (await plan(client, org, **GROUP))["id"], venue["id"])
    await client.post(
        f"/organisations/{partner.id}/people/{partner.contact_id}/page-link", headers=partner.auth()
    )
    await open_link(client, conn, partner.contact_id)  # both roles: her shifts first
    assert 'href="/my/rooms">Datum för lokaler som väntar på ditt svar: 12' in (await client.get("/my")).text


async def test_settings_and_the_header_agree_on_her_language_and_say_the_sms_one(client, conn, clock, org):
    await client.post(f"/organisations/{org.id}/people/{org.volunteer_id}/page-link", headers=org.auth())
    await open_link(client, conn, org.volunteer_id)
    client.cookies.set("volops_lang", "nb")  # she chose Norsk in the header; her SMS are in Swedish
    page = (await client.get("/my/settings")).text
    assert '<option value="nb" lang="nb" selected>' in page
    assert "SMS-ene dine kommer på Svenska. Lagre for å få dem på Norsk også." in page
    saved = await client.post(
        "/my/settings", data={"csrf": CSRF.search(page)[1], "language": "nb", "sms_consent": "true"}
    )
    assert saved.status_code == 200 and "SMS-ene dine kommer på Norsk." in saved.text
    assert await conn.fetchval("SELECT language FROM people WHERE id = $1", org.volunteer_id) == "nb"
