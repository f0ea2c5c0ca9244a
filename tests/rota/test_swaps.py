"""Swaps: the one who offers keeps the shift until someone who passes every rule takes it."""

import pytest

from tests.support.factories import add_member
from tests.support.scheduling import driving_licence, occurrences_of, plan, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_offer_to_anyone_taken_by_an_eligible_colleague(client, conn, clock, org):
    licence = await driving_licence(conn, org, org.volunteer_id, org.coordinator_id)
    activity = await plan(
        client,
        org,
        rrule=None,
        roles=[{"name": "driver", "min_people": 1, "max_people": 1, "qualification_type_ids": [licence]}],
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    mine = (await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])).json()
    offer = await client.post(
        f"/organisations/{org.id}/assignments/{mine['id']}/swap-offers",
        headers=org.auth("volunteer"),
        json={},
    )
    assert offer.status_code == 201, offer.text
    again = await client.post(
        f"/organisations/{org.id}/assignments/{mine['id']}/swap-offers",
        headers=org.auth("volunteer"),
        json={},
    )
    assert again.status_code == 409
    own = await client.post(
        f"/organisations/{org.id}/swap-offers/{offer.json()['id']}/take", headers=org.auth("volunteer")
    )
    assert own.status_code == 409

    # A colleague without the licence fails the rule: nothing changes.
    unlicensed = await add_member(conn, clock, org, "No Licence")
    from services.access.service import issue_token

    _row, secret = await issue_token(conn, clock, organisation_id=org.id, person_id=unlicensed)
    refused = await client.post(
        f"/organisations/{org.id}/swap-offers/{offer.json()['id']}/take",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert refused.status_code == 422 and refused.json()["type"].endswith("qualification-missing")
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", mine["id"]) == "active"
    assert await conn.fetchval("SELECT status FROM swap_offers") == "open"

    taken = await client.post(
        f"/organisations/{org.id}/swap-offers/{offer.json()['id']}/take", headers=org.auth()
    )
    assert taken.status_code == 200 and taken.json()["status"] == "taken"
    on_it = await conn.fetch(
        "SELECT person_id FROM assignments WHERE occurrence_id = $1 AND status = 'active'", occurrence["id"]
    )
    assert [r["person_id"] for r in on_it] == [org.coordinator_id]
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", mine["id"]) == "withdrawn"


async def test_offer_to_a_named_colleague_only(client, conn, clock, org):
    activity = await plan(
        client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    mine = (await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])).json()
    other = await add_member(conn, clock, org, "Other")
    offer = (
        await client.post(
            f"/organisations/{org.id}/assignments/{mine['id']}/swap-offers",
            headers=org.auth("volunteer"),
            json={"offered_to": other},
        )
    ).json()
    listed = (await client.get(f"/organisations/{org.id}/swap-offers", headers=org.auth())).json()
    assert listed == []  # not offered to the coordinator
    wrong = await client.post(f"/organisations/{org.id}/swap-offers/{offer['id']}/take", headers=org.auth())
    assert wrong.status_code == 404
    withdrawn = await client.delete(
        f"/organisations/{org.id}/swap-offers/{offer['id']}", headers=org.auth("volunteer")
    )
    assert withdrawn.status_code == 204
    assert await conn.fetchval("SELECT status FROM swap_offers") == "withdrawn"
