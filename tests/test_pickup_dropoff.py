"""A driver of a food pickup knows where the food goes: the drop-off is in her reminder, her feed and
her shift page; when it is the protected shelter, by name and "address from your coordinator"."""

import re

import icalendar
import pytest

from tests.feeds.test_feeds import make_feed, path_of
from tests.support.factories import add_member, fictional_phone
from tests.support.scheduling import occurrences_of, plan, protected_place, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")
ADDRESS = "Hemliga gatan 7, 211 00 Malmö"


async def pickup_to_the_house(client, org) -> dict:
    house = await protected_place(client, org, ADDRESS, 55.61)
    bakery = await client.post(
        f"/organisations/{org.id}/places",
        headers=org.auth(),
        json={"name": "Bageriet", "address": "Provgatan 4"},
    )
    return await plan(
        client,
        org,
        place_id=bakery.json()["id"],
        food_pickup={
            "donor": "Bageriet",
            "pickup_place_id": bakery.json()["id"],
            "dropoff_place_id": house["id"],
            "what": "bread",
        },
    )


async def test_the_driver_reads_the_drop_off_and_never_its_address(client, conn, clock, org):
    activity = await pickup_to_the_house(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    assert (await sign_up(client, org, first["id"], activity["roles"][0]["id"])).status_code == 201

    reminders = await conn.fetch("SELECT body FROM outbox WHERE kind = 'reminder'")
    assert reminders and all("Bageriet, lämnas på The house" in r["body"] for r in reminders)
    assert all("Hemliga" not in r["body"] for r in reminders)

    feed = await client.get(path_of(await make_feed(client, org, "personal", "volunteer")))
    event = icalendar.Calendar.from_ical(feed.text).walk("VEVENT")[0]
    assert "Lämnas på: The house – adress från din samordnare" in str(event["DESCRIPTION"])
    assert "Hemliga" not in feed.text


async def test_the_shift_page_shows_the_drop_off(client, conn, clock, org, monkeypatch):
    activity = await pickup_to_the_house(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    await conn.execute("UPDATE people SET sms_consent = false")
    helper = await add_member(conn, clock, org, "Helper Prov", phone=fictional_phone())
    asked = await client.post(
        f"/organisations/{org.id}/occurrences/{first['id']}/roles/{activity['roles'][0]['id']}/cover-requests",
        headers=org.auth(),
        json={"people": 1},
    )
    assert asked.json()["asked"] == [helper]
    body = await conn.fetchval("SELECT body FROM outbox WHERE person_id = $1", helper)
    page = await client.get(re.search(r"/s/\S+", body)[0])
    assert "Lämnas på:</strong> The house, adress från din samordnare" in page.text
    assert "Hemliga" not in page.text
