"""Sign-up rules, each refusal naming its rule; withdrawal; the pair rule; shared activities."""

from datetime import timedelta

import pytest

from tests.support.factories import make_org, make_partners
from tests.support.scheduling import notices, occurrences_of, plan, protected_place, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def first_occurrence(client, conn, org, **overrides):
    activity = await plan(client, org, **overrides)
    rows = await occurrences_of(conn, activity["id"])
    return activity, rows[0], activity["roles"][0]["id"]


async def add_qualification(conn, org, person_id, name, valid_until=None):
    type_id = await conn.fetchval(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, $2)"
        " ON CONFLICT (organisation_id, lower(name)) DO UPDATE SET name = excluded.name RETURNING id",
        org.id,
        name,
    )
    await conn.execute(
        "INSERT INTO person_qualifications (person_id, qualification_type_id, valid_until) VALUES ($1, $2, $3)",
        person_id,
        type_id,
        valid_until,
    )
    return type_id


async def test_sign_up_and_withdraw(client, conn, org):
    _activity, occurrence, role = await first_occurrence(client, conn, org)
    signed = await sign_up(client, org, occurrence["id"], role)
    assert signed.status_code == 201
    assert signed.json()["source"] == "signup" and signed.json()["person_id"] == org.volunteer_id
    mine = (await client.get(f"/organisations/{org.id}/me/assignments", headers=org.auth("volunteer"))).json()
    assert [a["occurrence_id"] for a in mine] == [occurrence["id"]]
    again = await sign_up(client, org, occurrence["id"], role)
    assert again.status_code == 409 and again.json()["type"].endswith("already-assigned")
    withdrawn = await client.delete(
        f"/organisations/{org.id}/assignments/{signed.json()['id']}", headers=org.auth("volunteer")
    )
    assert withdrawn.json()["status"] == "withdrawn"
    # Tuesday 3 March 10:00 is 25 hours after the clock (Monday 09:00 UTC): before the 24 h cut-off.
    assert withdrawn.json()["late"] is False
    assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201  # can sign up again


async def test_late_withdrawal_is_allowed_but_marked(client, conn, clock, org):
    _activity, occurrence, role = await first_occurrence(client, conn, org)
    signed = (await sign_up(client, org, occurrence["id"], role)).json()
    clock.advance(timedelta(hours=12))
    withdrawn = await client.delete(
        f"/organisations/{org.id}/assignments/{signed['id']}", headers=org.auth("volunteer")
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["late"] is True


async def test_role_full(client, conn, clock, org):
    _activity, occurrence, role = await first_occurrence(
        client, conn, org, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    assert (await sign_up(client, org, occurrence["id"], role, "coordinator")).status_code == 201
    full = await sign_up(client, org, occurrence["id"], role)
    assert full.status_code == 409
    assert full.json()["detail"] == "All 1 place(s) for driver on 2026-03-03 are taken."


async def test_signing_up_again_for_the_last_place_one_holds_is_already_assigned(client, conn, org):
    _activity, occurrence, role = await first_occurrence(
        client, conn, org, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201
    again = await sign_up(client, org, occurrence["id"], role)
    assert again.status_code == 409 and again.json()["type"].endswith("already-assigned"), again.text


async def test_no_overlapping_shifts(client, conn, org):
    _a, occurrence, role = await first_occurrence(client, conn, org)
    _b, other, other_role = await first_occurrence(
        client, conn, org, title="Fruit", start_local="2026-03-03T11:00:00", rrule=None
    )
    assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201
    clash = await sign_up(client, org, other["id"], other_role)
    assert clash.status_code == 409 and clash.json()["type"].endswith("overlapping-shift")


async def test_qualification_must_be_valid_on_the_day(client, conn, org):
    type_id = await add_qualification(conn, org, org.coordinator_id, "Driving licence")
    activity, occurrence, role = await first_occurrence(
        client, conn, org, roles=[{"name": "driver", "max_people": 2, "qualification_type_ids": [type_id]}]
    )
    refused = await sign_up(client, org, occurrence["id"], role)
    assert refused.status_code == 422
    assert refused.json()["detail"] == "driver on 2026-03-03 needs Driving licence valid on that day."
    # The volunteer's licence expires on 5 March: fine for Tuesday 3 March, not for Friday 6 March.
    await add_qualification(
        conn, org, org.volunteer_id, "Driving licence", valid_until=__import__("datetime").date(2026, 3, 5)
    )
    assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201
    friday = (await occurrences_of(conn, activity["id"]))[1]
    expired = await sign_up(client, org, friday["id"], role)
    # Expired is said as expired, with its date, not as never held.
    assert expired.status_code == 422 and expired.json()["type"].endswith("qualification-expired")
    assert expired.json()["detail"] == (
        "Driving licence expired on 5 March 2026. driver on 2026-03-06 needs Driving licence valid on that day."
    )


async def test_cancelled_and_past_occurrences_refuse_sign_ups(client, conn, clock, org):
    activity, occurrence, role = await first_occurrence(client, conn, org)
    await client.patch(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}",
        headers=org.auth(),
        json={"status": "cancelled"},
    )
    cancelled = await sign_up(client, org, occurrence["id"], role)
    assert cancelled.status_code == 409 and cancelled.json()["type"].endswith("occurrence-cancelled")
    friday = (await occurrences_of(conn, activity["id"]))[1]
    clock.advance(timedelta(days=5))
    past = await sign_up(client, org, friday["id"], role)
    assert past.status_code == 409 and past.json()["type"].endswith("occurrence-over")


async def test_unknown_role_and_unknown_person(client, conn, org):
    _activity, occurrence, _role = await first_occurrence(client, conn, org)
    assert (await sign_up(client, org, occurrence["id"], 999)).status_code == 422
    other = await make_org(
        conn, __import__("services.clock", fromlist=["SystemClock"]).SystemClock(), "elsewhere"
    )
    stranger = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": _role, "person_id": other.volunteer_id},
    )
    assert stranger.status_code == 404


async def test_coordinator_assigns_and_removes_and_the_person_is_told(client, conn, org):
    _activity, occurrence, role = await first_occurrence(client, conn, org)
    assigned = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role, "person_id": org.volunteer_id},
    )
    assert assigned.status_code == 201 and assigned.json()["source"] == "assigned"
    volunteer_tries = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth("volunteer"),
        json={"role_id": role, "person_id": org.coordinator_id},
    )
    assert volunteer_tries.status_code == 403
    removed = await client.delete(
        f"/organisations/{org.id}/assignments/{assigned.json()['id']}", headers=org.auth()
    )
    assert removed.json()["status"] == "removed"
    assert await notices(conn) == [(occurrence["id"], "removed")]


async def test_pair_rule_never_reports_one_person_as_staffed(client, conn, org):
    _activity, occurrence, _role = await first_occurrence(
        client,
        conn,
        org,
        kind="outreach_visit",
        title="Street outreach",
        rrule="FREQ=WEEKLY;BYDAY=TH",
        start_local="2026-03-05T19:00:00",
        roles=[
            {"name": "staff", "min_people": 1, "max_people": 1},
            {"name": "volunteer", "min_people": 1, "max_people": 2},
        ],
    )
    roles = {
        r["name"]: r["role_id"]
        for r in (
            await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
        ).json()["roles"]
    }
    await sign_up(client, org, occurrence["id"], roles["staff"], "coordinator")
    view = (
        await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
    ).json()
    assert [r["state"] for r in view["roles"]] == ["full", "short"] and view["state"] == "short"
    await sign_up(client, org, occurrence["id"], roles["volunteer"])
    view = (
        await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
    ).json()
    assert view["state"] == "ok"


async def test_pair_rule_with_min_zero_roles(client, conn, org):
    """Even if roles would allow it, one person alone on an outreach visit is short."""
    _activity, occurrence, role = await first_occurrence(
        client,
        conn,
        org,
        kind="outreach_visit",
        rrule=None,
        roles=[
            {"name": "lead", "min_people": 1, "max_people": 1},
            {"name": "second", "min_people": 1, "max_people": 1},
        ],
    )
    await sign_up(client, org, occurrence["id"], role)
    view = (
        await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
    ).json()
    assert view["state"] == "short"


async def test_shared_activity_takes_partner_volunteers(client, conn, clock, org):
    partner = await make_org(conn, clock, "uppsala-ngo")
    await make_partners(conn, clock, org.id, partner.id)
    activity, occurrence, role = await first_occurrence(
        client,
        conn,
        org,
        kind="outreach_visit",
        shared_with=[partner.id],
        roles=[{"name": "outreach worker", "min_people": 2, "max_people": 2}],
    )
    seen = (
        await client.get(f"/organisations/{partner.id}/activities", headers=partner.auth("volunteer"))
    ).json()
    assert [a["id"] for a in seen["items"]] == [activity["id"]]
    assert (await sign_up(client, partner, occurrence["id"], role)).status_code == 201
    assert (await sign_up(client, org, occurrence["id"], role)).status_code == 201
    view = (
        await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
    ).json()
    assert view["state"] == "full"
    # The partner's coordinator cannot change the owner's series.
    change = await client.patch(
        f"/organisations/{partner.id}/activities/{activity['id']}",
        headers=partner.auth(),
        json={"title": "x"},
    )
    assert change.status_code == 404


async def test_open_occurrences_are_those_a_volunteer_could_take(client, conn, org):
    type_id = await add_qualification(conn, org, org.coordinator_id, "Outreach training")
    await plan(client, org, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=2", roles=[{"name": "driver", "max_people": 1}])
    await plan(
        client,
        org,
        title="Outreach",
        start_local="2026-03-05T19:00:00",
        rrule=None,
        kind="outreach_visit",
        roles=[{"name": "worker", "min_people": 2, "max_people": 2, "qualification_type_ids": [type_id]}],
    )
    first = (await conn.fetch("SELECT id FROM occurrences ORDER BY starts_at"))[0]["id"]
    role = await conn.fetchval("SELECT id FROM activity_roles WHERE name = 'driver'")
    await sign_up(client, org, first, role, "coordinator")
    open_ = (
        await client.get(f"/organisations/{org.id}/open-occurrences", headers=org.auth("volunteer"))
    ).json()
    # Not the full Tuesday, not the outreach (no training): only the second Tuesday.
    assert [o["occurrence"]["local_date"] for o in open_] == ["2026-03-10"]
    assert open_[0]["occurrence"]["roles"][0]["people"] == []  # volunteers do not see who is on it


async def test_protected_address_only_for_own_coordinators(client, conn, clock, org):
    place = await protected_place(client, org, "Hemliga gatan 7, Malmö", 55.6)
    assert place["address"] == "Hemliga gatan 7, Malmö"
    activity, occurrence, role = await first_occurrence(client, conn, org, place_id=place["id"])
    for_volunteer = await client.get(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth("volunteer")
    )
    assert for_volunteer.json()["place"]["address"] == "adress från din samordnare"
    assert "Hemliga" not in for_volunteer.text and "55.6" not in for_volunteer.text
    places = await client.get(f"/organisations/{org.id}/places", headers=org.auth("volunteer"))
    assert "Hemliga" not in places.text


async def test_a_shared_activity_is_one_plan_for_both_organisations(client, conn, clock, org):
    """Uppsala's municipal team and an NGO do outreach together: the NGO's feed and board show it,
    and its qualified members are candidates, asked and assigned like the team's own."""
    partner = await make_org(conn, clock, "uppsala-ngo")
    await make_partners(conn, clock, org.id, partner.id)
    await conn.execute("UPDATE people SET sms_consent = false WHERE id <> $1", partner.volunteer_id)
    activity, occurrence, role = await first_occurrence(
        client,
        conn,
        org,
        kind="outreach_visit",
        title="Street outreach together",
        rrule=None,
        shared_with=[partner.id],
        roles=[{"name": "outreach worker", "min_people": 2, "max_people": 2}],
    )
    feed = await client.post(
        f"/organisations/{partner.id}/feeds", headers=partner.auth(), json={"kind": "organisation"}
    )
    calendar = (await client.get("/" + feed.json()["https_url"].split("/", 3)[3])).text
    assert calendar.count("BEGIN:VEVENT") == 1 and "Street outreach together" in calendar
    await client.get("/board/sign-in", params={"token": partner.coordinator_token})
    assert "Street outreach together" in (await client.get("/board")).text

    candidates = (
        await client.get(
            f"/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{role}/candidates",
            headers=org.auth(),
        )
    ).json()
    assert partner.volunteer_id in [c["person_id"] for c in candidates["ranked"]]
    asked = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{role}/cover-requests",
        headers=org.auth(),
        json={"people": 1},
    )
    assert asked.json()["asked"] == [partner.volunteer_id], asked.text  # the only one reachable by SMS
    assigned = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role, "person_id": partner.volunteer_id},
    )
    assert assigned.status_code == 201, assigned.text
