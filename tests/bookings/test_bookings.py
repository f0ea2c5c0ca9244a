"""Room bookings: a partner's rooms, requests for a term answered date by date (page, SMS, API),
no double booking, reminders, and bookings following their occurrences."""

import asyncio
import re
from datetime import timedelta
from urllib.parse import urlsplit

import httpx
import icalendar
import pytest

from services.bookings import service as bookings
from tests.board.test_plan import signed_in
from tests.support.factories import make_partner
from tests.support.scheduling import plan
from tests.support.sms import reply

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")

LINK = re.compile(r"https?://\S+/b/(\S+)")
GROUP = {
    "kind": "group_meeting",
    "title": "Women's group",
    "start_local": "2026-03-04T18:00:00",  # Wednesdays
    "duration_minutes": 90,
    "rrule": "FREQ=WEEKLY;COUNT=12",
    "roles": [{"name": "facilitator", "min_people": 0, "max_people": 1}],
}


@pytest.fixture
async def partner(conn, clock):
    return await make_partner(conn, clock)


async def room(client, partner, *borrowers: int, **extra) -> dict:
    response = await client.post(
        f"/organisations/{partner.id}/venues",
        headers=partner.auth(),
        json={
            "name": "Parish hall",
            "address": "Kyrkovägen 3",
            "capacity": 30,
            "house_rules": "No shoes upstairs",
            "contacts": [partner.contact_id],
            "lent_to": list(borrowers),
        }
        | extra,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def ask(client, org, activity_id, venue_id, **period) -> dict:
    response = await client.post(
        f"/organisations/{org.id}/booking-requests",
        headers=org.auth(),
        json={"activity_id": activity_id, "venue_id": venue_id} | period,
    )
    assert response.status_code == 201, response.text
    return response.json()


async def answer_api(client, partner, booking_id, answer):
    return await client.put(
        f"/organisations/{partner.id}/bookings/{booking_id}/answer",
        headers=partner.auth(),
        json={"answer": answer},
    )


async def test_rooms_are_seen_by_their_borrowers_only(client, conn, org, other_org, partner):
    venue = await room(client, partner, org.id, protected=True)
    assert venue["contacts"] == [partner.contact_id] and venue["address"] == "Kyrkovägen 3"
    seen = (await client.get(f"/organisations/{org.id}/venues", headers=org.auth())).json()
    assert [v["name"] for v in seen] == ["Parish hall"]
    assert (
        seen[0]["contacts"] == [] and "Kyrkovägen" not in seen[0]["address"]
    )  # protected: not for borrowers
    assert (await client.get(f"/organisations/{other_org.id}/venues", headers=other_org.auth())).json() == []
    activity = await plan(client, other_org, **GROUP)
    refused = await client.post(
        f"/organisations/{other_org.id}/booking-requests",
        headers=other_org.auth(),
        json={"activity_id": activity["id"], "venue_id": venue["id"]},
    )
    assert refused.status_code == 404  # not lent to them
    stranger = await client.post(
        f"/organisations/{partner.id}/venues",
        headers=partner.auth(),
        json={"name": "Crypt", "contacts": [org.volunteer_id]},
    )
    assert stranger.status_code == 422 and "not a member" in stranger.json()["detail"]
    assert await conn.fetchval("SELECT count(*) FROM venues") == 1  # nothing half-written


async def test_a_term_answered_date_by_date(client, conn, clock, org, partner):
    venue = await room(client, partner, org.id)
    activity = await plan(client, org, **GROUP)
    request = await ask(
        client, org, activity["id"], venue["id"], from_date="2026-03-01", to_date="2026-04-30"
    )
    dates = request["bookings"]
    assert len(dates) == 9 and {b["status"] for b in dates} == {"requested"}  # 4 Mar … 29 Apr
    sms = await conn.fetchrow("SELECT to_address, body FROM outbox WHERE key LIKE 'booking-ask:%'")
    assert sms["to_address"] == partner.contact_phone
    assert sms["body"].startswith(
        "malmo-test (test) vill låna Parish hall för Women's group: 9 datum från ons 4/3"
    )
    assert f"JA {request['code']}" in sms["body"] and LINK.search(sms["body"])

    assert (await answer_api(client, partner, dates[0]["id"], "confirm")).status_code == 200
    declined = await answer_api(client, partner, dates[1]["id"], "decline")
    assert declined.status_code == 200 and declined.json()["status"] == "declined"
    again = await answer_api(client, partner, dates[1]["id"], "confirm")
    assert again.status_code == 409 and again.json()["detail"] == "This date was answered already."
    view = (
        await client.get(f"/organisations/{org.id}/booking-requests/{request['id']}", headers=org.auth())
    ).json()
    assert [b["status"] for b in view["bookings"][:3]] == ["confirmed", "declined", "requested"]
    assert view["bookings"][0]["answered_via"] == "api"
    listed = (await client.get(f"/organisations/{org.id}/booking-requests", headers=org.auth())).json()
    assert listed == [view]

    problems = (await client.get(f"/organisations/{org.id}/room-problems", headers=org.auth())).json()
    assert [(p["local_date"], p["detail"]) for p in problems] == [
        ("2026-03-11", "no room for 11 March: Parish hall declined")
    ]
    # The parish needs the room on 4 March after all: the coordinators hear of it at once.
    withdrawn = await answer_api(client, partner, dates[0]["id"], "decline")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "declined"
    told = await conn.fetch("SELECT person_id, body FROM outbox WHERE key LIKE 'booking-withdrawn:%'")
    assert [r["person_id"] for r in told] == [org.coordinator_id]
    assert told[0]["body"].startswith("Parish hall kan inte längre ta emot Women's group ons 4/3 kl 18:00")
    problems = (await client.get(f"/organisations/{org.id}/room-problems", headers=org.auth())).json()
    assert [p["local_date"] for p in problems] == ["2026-03-04", "2026-03-11"]
    # Another room for 11 March: that problem goes.
    other = await room(client, partner, org.id, name="Small room")
    await ask(client, org, activity["id"], other["id"], occurrence_id=dates[1]["occurrence_id"])
    left = (await client.get(f"/organisations/{org.id}/room-problems", headers=org.auth())).json()
    assert [p["local_date"] for p in left] == ["2026-03-04"]


async def test_sms_yes_confirms_every_waiting_date_no_declines(client, conn, clock, org, partner):
    venue = await room(client, partner, org.id)
    activity = await plan(client, org, **GROUP)
    first = await ask(client, org, activity["id"], venue["id"], to_date="2026-03-31")  # 4 dates
    yes = await reply(conn, clock, partner.contact_phone, f"Ja {first['code']}", "SM1")
    assert "4 datum bekräftade" in yes
    assert "redan besvarade" in await reply(conn, clock, partner.contact_phone, f"JA {first['code']}", "SM2")
    second = await ask(client, org, activity["id"], venue["id"], from_date="2026-04-01")
    no = await reply(conn, clock, partner.contact_phone, f"nej {second['code']}", "SM3")
    assert "8 datum avböjda" in no
    states = await conn.fetch("SELECT status, answered_via, count(*) FROM bookings GROUP BY 1, 2 ORDER BY 1")
    assert [tuple(r) for r in states] == [("confirmed", "sms", 4), ("declined", "sms", 8)]


async def test_postgres_refuses_a_double_booking_and_the_partner_sees_who_holds_it(
    client, conn, clock, org, other_org, partner
):
    venue = await room(client, partner, org.id, other_org.id)
    ours = await plan(client, org, **GROUP)
    theirs = await plan(client, other_org, **GROUP | {"title": "Choir", "start_local": "2026-03-04T19:00:00"})
    a = (await ask(client, org, ours["id"], venue["id"], to_date="2026-03-04"))["bookings"][0]
    b = (await ask(client, other_org, theirs["id"], venue["id"], to_date="2026-03-04"))["bookings"][0]
    assert (await answer_api(client, partner, a["id"], "confirm")).status_code == 200
    clash = await answer_api(client, partner, b["id"], "confirm")
    assert clash.status_code == 409
    assert clash.json()["detail"].startswith(
        "The room is already booked then: Women's group (malmo-test (test))"
    )
    assert await conn.fetchval("SELECT status FROM bookings WHERE id = $1", b["id"]) == "requested"
    with pytest.raises(Exception, match="bookings_no_double_booking"):  # not only Python: the database
        await conn.execute(
            "UPDATE bookings SET status = 'confirmed', answered_at = now() WHERE id = $1", b["id"]
        )
    # Declining the one that holds the room is not possible once confirmed, but cancelling its
    # occurrence frees the room, and the other can then be confirmed.
    await conn.execute("UPDATE occurrences SET status = 'cancelled' WHERE id = $1", a["occurrence_id"])
    assert (await answer_api(client, partner, b["id"], "confirm")).status_code == 200


async def test_links_open_their_own_request_only_and_expire(client, conn, clock, org, other_org, partner):
    venue = await room(client, partner, org.id, other_org.id)
    ours = await ask(client, org, (await plan(client, org, **GROUP))["id"], venue["id"], to_date="2026-03-18")
    theirs = await ask(
        client, other_org, (await plan(client, other_org, **GROUP | {"title": "Choir"}))["id"], venue["id"]
    )
    body = await conn.fetchval(
        "SELECT body FROM outbox WHERE key = $1", f"booking-ask:{ours['id']}:{partner.contact_id}"
    )
    token = LINK.search(body)[1]
    page = await client.get(f"/b/{token}")
    assert page.status_code == 200 and "Hej Verger!" in page.text and "No shoes upstairs" in page.text
    assert page.text.count('data-status="requested"') == 3 and "Choir" not in page.text
    done = await client.post(
        f"/b/{token}", data={"confirm": str(ours["bookings"][0]["id"])}, follow_redirects=False
    )
    assert done.status_code == 303 and done.headers["location"] == f"/b/{token}"
    twice = await client.post(f"/b/{token}", data={"confirm": str(ours["bookings"][0]["id"])})
    assert (
        twice.status_code == 200 and twice.text.count('data-status="confirmed"') == 1
    )  # a second tap: no change
    assert "Behöver ni lokalen själva?" in twice.text  # a confirmed date can still be withdrawn
    foreign = await client.post(f"/b/{token}", data={"decline": str(theirs["bookings"][0]["id"])})
    assert foreign.status_code == 200
    assert (
        await conn.fetchval("SELECT status FROM bookings WHERE id = $1", theirs["bookings"][0]["id"])
        == "requested"
    )
    await client.post(f"/b/{token}", data={"confirm_all": "1"})
    answered = await client.get(f"/b/{token}")
    assert "Alla datum är besvarade" in answered.text and "Ja, det går" not in answered.text
    assert answered.text.count("Återkalla: vi behöver lokalen") == 3  # only a withdrawal is left to do
    last = ours["bookings"][2]["id"]
    await client.post(f"/b/{token}", data={"decline": str(last)})
    assert await conn.fetchval("SELECT status FROM bookings WHERE id = $1", last) == "declined"
    clock.advance(timedelta(days=20))  # past the last date
    expired = await client.get(f"/b/{token}")
    assert expired.status_code == 410 and "Länken har gått ut" in expired.text
    assert (await client.get(f"/b/{token[:-2]}xx")).status_code == 404


async def test_no_answer_reminds_once_then_tells_the_coordinators(client, conn, clock, org, partner):
    venue = await room(client, partner, org.id)
    await ask(client, org, (await plan(client, org, **GROUP))["id"], venue["id"])
    assert await bookings.remind(conn, clock, "https://volops.test") == {
        "reminded": 0,
        "coordinators_told": 0,
    }
    clock.advance(timedelta(days=3, minutes=1))
    assert await bookings.remind(conn, clock, "https://volops.test") == {
        "reminded": 1,
        "coordinators_told": 0,
    }
    reminder = await conn.fetchval("SELECT body FROM outbox WHERE key LIKE 'booking-reminder:%'")
    assert reminder.startswith("Påminnelse: malmo-test (test) väntar på svar om Parish hall")
    assert await bookings.remind(conn, clock, "https://volops.test") == {
        "reminded": 0,
        "coordinators_told": 0,
    }
    clock.advance(timedelta(days=3, minutes=1))
    assert await bookings.remind(conn, clock, "https://volops.test") == {
        "reminded": 0,
        "coordinators_told": 1,
    }
    told = await conn.fetch("SELECT person_id, body FROM outbox WHERE key LIKE 'booking-unanswered:%'")
    assert [r["person_id"] for r in told] == [org.coordinator_id]
    assert told[0]["body"].startswith("Inget svar om Parish hall för Women's group")
    clock.advance(timedelta(days=10))
    assert await bookings.remind(conn, clock, "https://volops.test") == {
        "reminded": 0,
        "coordinators_told": 0,
    }


async def test_moves_and_cancellations_follow_and_the_partner_is_told(client, conn, clock, org, partner):
    venue = await room(client, partner, org.id)
    activity = await plan(client, org, **GROUP)
    request = await ask(client, org, activity["id"], venue["id"], to_date="2026-03-18")
    for b in request["bookings"]:
        assert (await answer_api(client, partner, b["id"], "confirm")).status_code == 200
    moved, cancelled, shortened = request["bookings"]

    async def change(booking, **body):
        response = await client.patch(
            f"/organisations/{org.id}/occurrences/{booking['occurrence_id']}", headers=org.auth(), json=body
        )
        assert response.status_code == 200, response.text

    await change(moved, start_local="2026-03-04T19:00:00")  # outside the confirmed 18:00-19:30
    await change(cancelled, status="cancelled")
    await change(shortened, duration_minutes=60)  # inside what was confirmed: nothing to ask
    states = dict(await conn.fetch("SELECT id, status FROM bookings"))
    assert states == {moved["id"]: "requested", cancelled["id"]: "cancelled", shortened["id"]: "confirmed"}
    assert await bookings.tell_partners(conn, clock, "https://volops.test") == 2
    texts = [
        r["body"]
        for r in await conn.fetch(
            "SELECT body FROM outbox WHERE key LIKE 'booking-%d:%' OR key LIKE 'booking-moved:%' ORDER BY id"
        )
    ]
    assert any(
        t.startswith("Women's group i Parish hall är flyttat till ons 4/3 kl 19:00") and "/b/" in t
        for t in texts
    )
    assert any(t.startswith("Women's group i Parish hall ons 11/3 kl 18:00 är inställt") for t in texts)
    assert await bookings.tell_partners(conn, clock, "https://volops.test") == 0  # told once


async def test_the_venue_feed_shows_confirmed_bookings_with_public_titles(client, conn, clock, org, partner):
    venue = await room(client, partner, org.id)
    request = await ask(
        client, org, (await plan(client, org, **GROUP))["id"], venue["id"], to_date="2026-03-25"
    )
    first, second, third, fourth = request["bookings"]
    for b, answer in ((first, "confirm"), (second, "decline"), (third, "confirm")):
        await answer_api(client, partner, b["id"], answer)
    feed = await client.post(
        f"/organisations/{partner.id}/feeds", headers=partner.auth(), json={"kind": "venue"}
    )
    assert feed.status_code == 201, feed.text
    body = (await client.get(urlsplit(feed.json()["https_url"]).path)).text
    calendar = icalendar.Calendar.from_ical(body)
    events = sorted((e["DTSTART"].dt, str(e["SUMMARY"]), str(e["LOCATION"])) for e in calendar.walk("VEVENT"))
    assert [(s.date().isoformat(), summary) for s, summary, _ in events] == [
        ("2026-03-04", "Women's group – malmo-test (test)"),
        ("2026-03-18", "Women's group – malmo-test (test)"),
    ]
    assert events[0][2] == "Parish hall, Kyrkovägen 3" and "Volunteer" not in body


@pytest.mark.now("suite")  # a real API process: at whatever hour the suite stands
async def test_simultaneous_confirms_of_overlapping_bookings_one_wins(
    client, conn, clock, org, other_org, partner, sms_stack
):
    """Twenty confirmations at once, through a real API process, of two bookings that overlap."""
    start = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT18:00:00")
    venue = await room(client, partner, org.id, other_org.id)
    ours = await plan(client, org, **GROUP | {"start_local": start, "rrule": None})
    theirs = await plan(client, other_org, **GROUP | {"start_local": start, "rrule": None, "title": "Choir"})
    a = (await ask(client, org, ours["id"], venue["id"]))["bookings"][0]["id"]
    b = (await ask(client, other_org, theirs["id"], venue["id"]))["bookings"][0]["id"]
    async with httpx.AsyncClient(base_url=sms_stack.api, headers=partner.auth(), timeout=30) as http:
        answers = await asyncio.gather(
            *(
                http.put(f"/organisations/{partner.id}/bookings/{booking}/answer", json={"answer": "confirm"})
                for booking in [a, b] * 10
            )
        )
    codes = sorted(r.status_code for r in answers)
    assert codes == [200] + [409] * 19, [r.text for r in answers if r.status_code != 409]
    assert await conn.fetchval("SELECT count(*) FROM bookings WHERE status = 'confirmed'") == 1
    assert {r.json()["type"].rsplit("/", 1)[1] for r in answers if r.status_code == 409} <= {
        "room-taken",
        "already-answered",
    }


async def test_coordinators_rooms_page_shows_dates_without_a_room_and_asks_another(
    client, conn, clock, org, other_org, partner
):
    hall = await room(client, partner, org.id)
    small = await room(client, partner, org.id, name="Small room")
    activity = await plan(client, org, **GROUP)
    request = await ask(client, org, activity["id"], hall["id"], to_date="2026-03-11")
    declined = request["bookings"][1]
    await answer_api(client, partner, declined["id"], "decline")
    await client.get("/board/sign-in", params={"token": org.coordinator_token})
    page = await client.get("/board/rooms")
    assert page.status_code == 200 and "Datum utan lokal" in page.text
    assert "Ingen lokal: Parish hall tackade nej." in page.text and "1 bekräftade" not in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    asked = await client.post(
        "/board/rooms/ask",
        data={
            "csrf": csrf,
            "activity_id": str(activity["id"]),
            "occurrence_id": str(declined["occurrence_id"]),
            "venue_id": str(small["id"]),
        },
    )
    assert asked.status_code == 200 and "Förfrågan skickad till Small room." in asked.text
    assert "Datum utan lokal" not in asked.text
    live = await conn.fetchval(
        "SELECT venue_id FROM bookings WHERE occurrence_id = $1 AND status = 'requested'",
        declined["occurrence_id"],
    )
    assert live == small["id"]
    await signed_in(client, other_org)  # asked first, then switched
    theirs = await client.get("/board/rooms")
    assert "Women's group" not in theirs.text and "Parish hall" not in theirs.text


async def test_a_partner_sets_its_days_to_answer(client, conn, clock, org, partner):
    renamed = await client.patch(
        f"/organisations/{partner.id}", headers=partner.auth(), json={"name": "Ours"}
    )
    assert renamed.status_code == 403  # a contact sets only their days to answer
    changed = await client.patch(
        f"/organisations/{partner.id}", headers=partner.auth(), json={"booking_reminder_days": 1}
    )
    assert changed.status_code == 200 and changed.json()["booking_reminder_days"] == 1
    venue = await room(client, partner, org.id)
    await ask(client, org, (await plan(client, org, **GROUP))["id"], venue["id"])
    clock.advance(timedelta(days=1, minutes=1))
    assert (await bookings.remind(conn, clock, "https://volops.test"))["reminded"] == 1
    refused = await client.patch(
        f"/organisations/{partner.id}", headers=partner.auth(), json={"booking_reminder_days": 0}
    )
    assert refused.status_code == 400


async def test_a_room_asked_for_a_period_from_the_page_and_refusals_marked(
    client, conn, clock, org, other_org, partner
):
    hall = await room(client, partner, org.id)
    activity = await plan(client, org, **GROUP)
    await client.get("/board/sign-in", params={"token": org.coordinator_token})
    page = await client.get("/board/rooms")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    sent = {"csrf": csrf, "activity_id": str(activity["id"]), "venue_id": str(hall["id"])}
    backwards = await client.post(
        "/board/rooms/request", data=sent | {"from_date": "2026-03-20", "to_date": "2026-03-01"}
    )
    assert backwards.status_code == 422 and 'aria-describedby="to_date-error"' in backwards.text
    assert await conn.fetchval("SELECT count(*) FROM booking_requests") == 0
    asked = await client.post(
        "/board/rooms/request", data=sent | {"from_date": "2026-03-02", "to_date": "2026-03-15"}
    )
    assert asked.status_code == 200 and "Förfrågan skickad till Parish hall." in asked.text
    dates = await conn.fetchval("SELECT count(*) FROM bookings WHERE status = 'requested'")
    assert (
        dates
        == len(
            await conn.fetch(
                "SELECT 1 FROM occurrences WHERE activity_id = $1 AND local_date BETWEEN '2026-03-02' AND '2026-03-15'",
                activity["id"],
            )
        )
        and dates > 0
    )
    again = await client.post(  # the same dates again: nothing left to ask for
        "/board/rooms/request", data=sent | {"from_date": "2026-03-02", "to_date": "2026-03-15"}
    )
    assert again.status_code == 422 and 'aria-describedby="from_date-error"' in again.text
    theirs = await client.post(
        "/board/rooms/request",
        data=sent | {"venue_id": "999999", "from_date": "2026-03-02", "to_date": "2026-03-15"},
    )
    assert theirs.status_code == 422 and 'aria-describedby="venue_id-error"' in theirs.text
