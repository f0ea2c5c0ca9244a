"""Gaps for each cause, ranked by urgency; candidates for a gap with their reasons and exclusions."""

from datetime import timedelta

import pytest

from tests.support.factories import add_member
from tests.support.scheduling import driving_licence, occurrences_of, plan, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")

WINDOW = {"start": "2026-03-02T00:00:00+01:00", "end": "2026-03-14T00:00:00+01:00"}


async def gaps(client, org):
    response = await client.get(f"/organisations/{org.id}/gaps", headers=org.auth(), params=WINDOW)
    assert response.status_code == 200, response.text
    return response.json()


async def test_gaps_for_each_cause_ranked_by_urgency(client, conn, org):
    licence = await driving_licence(conn, org, org.volunteer_id, org.coordinator_id)
    pickup = await plan(
        client,
        org,
        rrule="FREQ=WEEKLY;BYDAY=TU,FR;COUNT=4",
        roles=[{"name": "driver", "min_people": 1, "max_people": 2, "qualification_type_ids": [licence]}],
    )
    tue, fri, tue2, fri2 = await occurrences_of(conn, pickup["id"])
    role = pickup["roles"][0]["id"]
    for occurrence in (tue, fri, tue2):
        assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201
    outreach = await plan(
        client,
        org,
        kind="outreach_visit",
        title="Outreach",
        rrule=None,
        start_local="2026-03-05T19:00:00",
        roles=[{"name": "worker", "min_people": 2, "max_people": 3}],
    )
    night = (await occurrences_of(conn, outreach["id"]))[0]
    await sign_up(client, org, night["id"], outreach["roles"][0]["id"])
    # The volunteer's licence ends on 5 March: Friday's pickup loses its driver's qualification.
    await conn.execute(
        "UPDATE person_qualifications SET valid_until = '2026-03-05' WHERE person_id = $1", org.volunteer_id
    )

    found = {g["occurrence_id"]: g for g in await gaps(client, org)}
    assert set(found) == {night["id"], fri["id"], tue2["id"], fri2["id"]}
    assert {r["cause"] for r in found[night["id"]]["reasons"]} == {"short", "pair_rule"}
    assert [r["cause"] for r in found[fri["id"]]["reasons"]] == ["qualification_expired"]
    assert found[fri["id"]]["reasons"][0]["person_id"] == org.volunteer_id
    # The board names who and what: the person and the qualification she lacks that day.
    lapsed = found[fri["id"]]["reasons"][0]
    assert lapsed["person_name"] == f"Volunteer of {org.slug}" and lapsed["qualifications"] == [
        "Driving licence"
    ]
    await client.get("/board/sign-in", params={"token": org.coordinator_token})
    board = await client.get("/board", params={"days": 14})
    assert f"driver: Volunteer of {org.slug} saknar Driving licence den dagen" in board.text
    assert [r["cause"] for r in found[fri2["id"]]["reasons"]] == ["short"]
    assert tue["id"] not in found  # staffed, licence valid on 3 March
    order = [g["occurrence_id"] for g in await gaps(client, org)]
    assert order.index(night["id"]) < order.index(fri2["id"])  # sooner and as short: more urgent

    # A withdrawal (by SMS "nej" or in the app) makes a gap appear at once.
    mine = await conn.fetchval("SELECT id FROM assignments WHERE occurrence_id = $1", tue["id"])
    await client.delete(f"/organisations/{org.id}/assignments/{mine}", headers=org.auth("volunteer"))
    assert tue["id"] in {g["occurrence_id"] for g in await gaps(client, org)}
    assert (
        await client.get(f"/organisations/{org.id}/gaps", headers=org.auth("volunteer"))
    ).status_code == 403


async def test_candidates_ranked_fairly_with_exclusions_explained(client, conn, clock, org):
    licence = await conn.fetchval(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Driving licence') RETURNING id",
        org.id,
    )
    pickup = await plan(
        client,
        org,
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2",
        roles=[{"name": "driver", "min_people": 2, "max_people": 2, "qualification_type_ids": [licence]}],
    )
    first, second = await occurrences_of(conn, pickup["id"])  # Tue 3 and Tue 10 March, 10:00-12:00
    role = pickup["roles"][0]["id"]
    ids = {}
    for name in (
        "Busy Bea",
        "Fresh Fia",
        "Away Ada",
        "Evening Eva",
        "Capped Cleo",
        "Unlicensed Ulla",
        "English Emma",
    ):
        ids[name] = await add_member(
            conn, clock, org, name, language="en" if name.startswith("English") else "sv"
        )
        if name != "Unlicensed Ulla":
            await conn.execute(
                "INSERT INTO person_qualifications (person_id, qualification_type_id) VALUES ($1, $2)",
                ids[name],
                licence,
            )
    # Busy Bea drove the first Tuesday (2 h attended): fairness puts her after those with fewer hours.
    await client.post(
        f"/organisations/{org.id}/occurrences/{first['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role, "person_id": ids["Busy Bea"]},
    )
    clock.advance(timedelta(days=2))
    await conn.execute("UPDATE assignments SET attendance = 'attended' WHERE person_id = $1", ids["Busy Bea"])
    await conn.execute(
        "INSERT INTO blackouts (person_id, starts_at, ends_at) VALUES ($1, '2026-03-09', '2026-03-12')",
        ids["Away Ada"],
    )
    await conn.execute(
        "INSERT INTO availability (person_id, weekday, start_local, end_local) VALUES ($1, 2, '17:00', '21:00')",
        ids["Evening Eva"],
    )
    await client.put(
        f"/organisations/{org.id}/people/{ids['Capped Cleo']}/monthly-maximum",
        headers=org.auth(),
        json={"max_hours_per_month": 1},
    )
    await client.post(
        f"/organisations/{org.id}/occurrences/{second['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role, "person_id": ids["English Emma"]},
    )

    response = await client.get(
        f"/organisations/{org.id}/occurrences/{second['id']}/roles/{role}/candidates", headers=org.auth()
    )
    assert response.status_code == 200, response.text
    result = response.json()
    assert [c["display_name"] for c in result["ranked"]] == ["Fresh Fia", "Busy Bea"]
    assert (
        result["ranked"][1]["hours_last_30_days"] == 2.0
        and result["ranked"][1]["times_on_this_activity"] == 1
    )
    assert "2.0 h in the last 30 days" in result["ranked"][1]["reasons"]
    rules = {e["display_name"]: e["rules"] for e in result["excluded"]}
    assert rules["Away Ada"] == ["blackout"]
    assert rules["Evening Eva"] == ["not_available"]
    assert rules["Capped Cleo"] == ["monthly_maximum"]
    assert rules["Unlicensed Ulla"] == ["not_qualified"]
    assert rules["English Emma"] == ["already_on_it"]
    assert "Driving licence" in next(
        e["detail"] for e in result["excluded"] if e["display_name"] == "Unlicensed Ulla"
    )
    # The test organisation's own volunteer and coordinator have no licence either.
    assert rules[f"Volunteer of {org.slug}"] == ["not_qualified"]
    # Someone who withdrew from this very occurrence is not asked again.
    fia = await conn.fetchval("SELECT id FROM people WHERE display_name = 'Fresh Fia'")
    taken = await client.post(
        f"/organisations/{org.id}/occurrences/{second['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role, "person_id": fia},
    )
    await client.delete(f"/organisations/{org.id}/assignments/{taken.json()['id']}", headers=org.auth())
    await conn.execute("UPDATE assignments SET status = 'withdrawn' WHERE id = $1", taken.json()["id"])
    again = (
        await client.get(
            f"/organisations/{org.id}/occurrences/{second['id']}/roles/{role}/candidates", headers=org.auth()
        )
    ).json()
    assert {e["display_name"]: e["rules"] for e in again["excluded"]}["Fresh Fia"] == ["said_no"]
    wrong_role = await client.get(
        f"/organisations/{org.id}/occurrences/{second['id']}/roles/999/candidates", headers=org.auth()
    )
    assert wrong_role.status_code == 422
