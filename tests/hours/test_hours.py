"""Attendance feeds the hours ledger; the monthly report matches figures worked out by hand."""

from datetime import timedelta

import pytest

from tests.support.scheduling import occurrences_of, plan, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def attend(client, org, assignment_id: int, attendance: str = "attended"):
    response = await client.put(
        f"/organisations/{org.id}/assignments/{assignment_id}/attendance",
        headers=org.auth(),
        json={"attendance": attendance},
    )
    assert response.status_code == 200, response.text
    return response


async def test_monthly_hours_by_kind(client, conn, clock, org):
    pickup = await plan(client, org)  # Tue/Fri 10:00-12:00 from 3 March
    meeting = await plan(
        client,
        org,
        kind="group_meeting",
        title="Sewing group",
        rrule=None,
        start_local="2026-03-05T18:00:00",
        duration_minutes=90,
        participant_capacity=10,
        roles=[{"name": "facilitator", "max_people": 1}],
    )
    outreach = await plan(
        client,
        org,
        kind="outreach_visit",
        title="Night outreach",
        rrule=None,
        start_local="2026-03-31T22:00:00",
        duration_minutes=180,
        roles=[{"name": "outreach worker", "min_people": 2, "max_people": 2}],
    )
    pickups = {r["local_date"].isoformat(): r["id"] for r in await occurrences_of(conn, pickup["id"])}
    driver = pickup["roles"][0]["id"]
    signed = {}
    for day, who in [
        ("2026-03-03", "volunteer"),
        ("2026-03-03", "coordinator"),
        ("2026-03-06", "volunteer"),
        ("2026-03-10", "volunteer"),
        ("2026-04-03", "volunteer"),
    ]:
        response = await sign_up(client, org, pickups[day], driver, who)
        assert response.status_code == 201, response.text
        signed[(day, who)] = response.json()["id"]
    meeting_occurrence = (await occurrences_of(conn, meeting["id"]))[0]["id"]
    signed["meeting"] = (await sign_up(client, org, meeting_occurrence, meeting["roles"][0]["id"])).json()[
        "id"
    ]
    night = (await occurrences_of(conn, outreach["id"]))[0]["id"]
    for who in ("volunteer", "coordinator"):
        signed[("night", who)] = (await sign_up(client, org, night, outreach["roles"][0]["id"], who)).json()[
            "id"
        ]

    early = await client.put(
        f"/organisations/{org.id}/assignments/{signed['meeting']}/attendance",
        headers=org.auth(),
        json={"attendance": "attended"},
    )
    assert early.status_code == 409  # not begun yet
    clock.advance(timedelta(days=60))
    for key in [
        ("2026-03-03", "volunteer"),
        ("2026-03-03", "coordinator"),
        ("2026-03-06", "volunteer"),
        "meeting",
        ("night", "volunteer"),
        ("night", "coordinator"),
        ("2026-04-03", "volunteer"),
    ]:
        await attend(client, org, signed[key])
    await attend(client, org, signed[("2026-03-10", "volunteer")], "no_show")
    refused = await client.put(
        f"/organisations/{org.id}/assignments/{signed['meeting']}/attendance",
        headers=org.auth("volunteer"),
        json={"attendance": "attended"},
    )
    assert refused.status_code == 403

    report = (
        await client.get(
            f"/organisations/{org.id}/reports/hours", headers=org.auth(), params={"month": "2026-03"}
        )
    ).json()
    # By hand: pickups 3 x 2 h (two people on 3 March, one on 6 March; 10 March was a no-show);
    # sewing 1.5 h; night outreach 2 people x 3 h, dated 31 March though it ends on 1 April.
    assert report["rows"] == [
        {"month": "2026-03", "kind": "food_pickup", "hours": 6.0, "occurrences": 2, "volunteers": 2},
        {"month": "2026-03", "kind": "group_meeting", "hours": 1.5, "occurrences": 1, "volunteers": 1},
        {"month": "2026-03", "kind": "outreach_visit", "hours": 6.0, "occurrences": 1, "volunteers": 2},
    ]
    assert report["total_hours"] == 13.5
    april = (
        await client.get(
            f"/organisations/{org.id}/reports/hours", headers=org.auth(), params={"month": "2026-04"}
        )
    ).json()
    assert april["total_hours"] == 2.0
    csv = await client.get(
        f"/organisations/{org.id}/reports/hours",
        headers=org.auth(),
        params={"month": "2026-03", "format": "csv"},
    )
    assert csv.headers["content-type"].startswith("text/csv")
    assert csv.text.splitlines() == [  # in the reader's language (the coordinator reads Swedish)
        "Månad,Slag,Timmar,Datum,Volontärer",
        "2026-03,Matupphämtning,6.00,2,2",
        "2026-03,Gruppmöte,1.50,1,1",
        "2026-03,Uppsökande besök,6.00,1,2",
        "2026-03,Totalt,13.50,,",
    ]
    bad = await client.get(
        f"/organisations/{org.id}/reports/hours", headers=org.auth(), params={"month": "March"}
    )
    assert bad.status_code == 422
    assert (
        await client.get(
            f"/organisations/{org.id}/reports/hours",
            headers=org.auth("volunteer"),
            params={"month": "2026-03"},
        )
    ).status_code == 403


async def test_availability_is_replaced_whole(client, org):
    url = f"/organisations/{org.id}/people/{org.volunteer_id}/availability"
    body = {
        "weekly": [{"weekday": 2, "start_local": "09:00:00", "end_local": "13:00:00"}],
        "blackouts": [
            {
                "starts_at": "2026-07-01T00:00:00+02:00",
                "ends_at": "2026-07-20T00:00:00+02:00",
                "note": "holiday",
            }
        ],
    }
    saved = await client.put(url, headers=org.auth("volunteer"), json=body)
    assert saved.status_code == 200 and saved.json()["weekly"][0]["weekday"] == 2
    bad = await client.put(
        url,
        headers=org.auth("volunteer"),
        json={"weekly": [{"weekday": 8, "start_local": "09:00:00", "end_local": "10:00:00"}]},
    )
    assert bad.status_code == 400
    backwards = await client.put(
        url,
        headers=org.auth("volunteer"),
        json={"weekly": [{"weekday": 1, "start_local": "10:00:00", "end_local": "09:00:00"}]},
    )
    assert backwards.status_code == 422
    assert (await client.get(url, headers=org.auth())).json() == saved.json()
    other = f"/organisations/{org.id}/people/{org.coordinator_id}/availability"
    assert (await client.get(other, headers=org.auth("volunteer"))).status_code == 404
