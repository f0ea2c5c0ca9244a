"""Planning series, materialising occurrences and editing one, this-and-following, or all."""

from datetime import UTC, date, datetime, timedelta

import pytest

from services.occurrences import service as occurrences
from tests.support.scheduling import PICKUP, notices, occurrences_of, plan, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_weekly_pickup_is_materialised_to_the_horizon_at_local_ten(client, conn, org):
    activity = await plan(client, org)
    rows = await occurrences_of(conn, activity["id"])
    # From 3 March (clock: Monday 2 March) to 26 weeks ahead: Tuesdays and Fridays.
    assert rows[0]["local_date"] == date(2026, 3, 3)
    assert rows[-1]["local_date"] <= date(2026, 3, 2) + timedelta(weeks=26)
    assert len(rows) == 52
    assert {r["local_date"].isoweekday() for r in rows} == {2, 5}
    staffing = await client.get(
        f"/organisations/{org.id}/occurrences",
        headers=org.auth(),
        params={"start": "2026-03-20T00:00:00+01:00", "end": "2026-04-05T00:00:00+02:00"},
    )
    local_times = {o["start_local"][11:16] for o in staffing.json()}
    assert local_times == {"10:00"}
    utc_hours = {o["starts_at"][11:13] for o in staffing.json()}
    assert utc_hours == {"09", "08"}  # before and after 29 March


async def test_materialising_twice_changes_nothing(client, conn, clock, org):
    activity = await plan(client, org)
    before = await occurrences_of(conn, activity["id"])
    assert await occurrences.materialise(conn, clock) == 0
    assert await occurrences.materialise(conn, clock, [activity["id"]]) == 0
    assert await occurrences_of(conn, activity["id"]) == before
    clock.advance(timedelta(weeks=1))  # the horizon rolls on: one more week appears
    assert await occurrences.materialise(conn, clock) == 2
    assert len(await occurrences_of(conn, activity["id"])) == len(before) + 2


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"rrule": "FREQ=HOURLY"}, "bad-rrule"),
        ({"rrule": "FREQ=WEEKLY;BYDAY=XX"}, "bad-rrule"),
        ({"time_zone": "Europe/Atlantis"}, "bad-time-zone"),
        (
            {
                "kind": "outreach_visit",
                "roles": [{"name": "outreach worker", "min_people": 1, "max_people": 2}],
            },
            "pair-rule",
        ),
        ({"roles": [{"name": "driver", "min_people": 3, "max_people": 2}]}, "bad-role"),
        ({"roles": [{"name": "driver"}, {"name": "Driver"}]}, "duplicate-role"),
        ({"roles": [{"name": "driver", "qualification_type_ids": [999]}]}, "unknown-qualification"),
        ({"place_id": 999}, "unknown-place"),
        ({"shared_with": [999]}, "not-a-partner"),
    ],
)
async def test_bad_activity_is_refused_and_nothing_written(client, conn, org, change, code):
    response = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | change
    )
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith(code)
    assert await conn.fetchval("SELECT count(*) FROM activities") == 0
    assert await conn.fetchval("SELECT count(*) FROM occurrences") == 0


@pytest.mark.parametrize(
    "change",
    [{"start_local": "2026-03-03T10:00:00+01:00"}, {"duration_minutes": 0}, {"kind": "party"}, {"roles": []}],
)
async def test_malformed_activity_is_400(client, org, change):
    response = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | change
    )
    assert response.status_code == 400, response.text


async def test_volunteers_cannot_plan(client, org):
    response = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth("volunteer"), json=PICKUP
    )
    assert response.status_code == 403


async def test_move_one_occurrence_tells_those_signed_up(client, conn, org):
    activity = await plan(client, org)
    first, second = (await occurrences_of(conn, activity["id"]))[:2]
    role = activity["roles"][0]["id"]
    assert (await sign_up(client, org, first["id"], role)).status_code == 201
    moved = await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-03T12:30:00"},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["start_local"] == "2026-03-03T12:30:00" and moved.json()["sequence"] == 1
    assert moved.json()["roles"][0]["people"] == [org.volunteer_id]  # the sign-up stays
    assert await notices(conn) == [(first["id"], "moved")]
    cancelled = await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}", headers=org.auth(), json={"status": "cancelled"}
    )
    assert cancelled.json()["status"] == "cancelled" and cancelled.json()["sequence"] == 2
    restored = await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}", headers=org.auth(), json={"status": "scheduled"}
    )
    assert restored.json()["sequence"] == 3
    assert await notices(conn) == [
        (first["id"], "moved"),
        (first["id"], "cancelled"),
        (first["id"], "restored"),
    ]
    untouched = (await occurrences_of(conn, activity["id"]))[1]
    assert untouched["sequence"] == 0 and untouched["starts_at"] == second["starts_at"]


async def test_whole_series_edit_keeps_sign_ups_and_leaves_edited_occurrences(client, conn, org):
    activity = await plan(client, org)
    rows = await occurrences_of(conn, activity["id"])
    role = activity["roles"][0]["id"]
    for row in rows[:3]:
        assert (await sign_up(client, org, row["id"], role)).status_code == 201
    await client.patch(
        f"/organisations/{org.id}/occurrences/{rows[2]['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-10T09:00:00"},
    )
    changed = await client.patch(
        f"/organisations/{org.id}/activities/{activity['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-03T11:00:00", "exdates": ["2026-03-06T11:00:00"]},
    )
    assert changed.status_code == 200, changed.text
    after = {r["local_date"]: r for r in await occurrences_of(conn, activity["id"])}
    assert after[date(2026, 3, 3)]["starts_at"].hour == 10  # 11:00 Stockholm = 10:00 UTC
    assert after[date(2026, 3, 6)]["status"] == "cancelled"  # excluded now
    assert after[date(2026, 3, 10)]["starts_at"].hour == 8  # edited alone: stays at 09:00 local
    assert after[date(2026, 3, 10)]["sequence"] == 1
    kept = await conn.fetchval("SELECT count(*) FROM assignments WHERE status = 'active'")
    assert kept == 3
    assert sorted(await notices(conn)) == sorted(
        [(rows[2]["id"], "moved"), (rows[0]["id"], "moved"), (rows[1]["id"], "cancelled")]
    )
    assert len(after) == 52


async def test_this_and_following_splits_the_series(client, conn, org):
    activity = await plan(client, org)
    rows = await occurrences_of(conn, activity["id"])
    role = activity["roles"][0]["id"]
    for row in (rows[0], rows[3]):  # 3 March and 13 March
        assert (await sign_up(client, org, row["id"], role)).status_code == 201
    split = await client.post(
        f"/organisations/{org.id}/activities/{activity['id']}/split",
        headers=org.auth(),
        json={"from_date": "2026-03-10", "change": {"title": "Bread and fruit", "duration_minutes": 90}},
    )
    assert split.status_code == 201, split.text
    new = split.json()
    assert new["split_from"] == activity["id"] and new["title"] == "Bread and fruit"
    old = (
        await client.get(f"/organisations/{org.id}/activities/{activity['id']}", headers=org.auth())
    ).json()
    assert old["ends_on"] == "2026-03-09"
    old_rows = await occurrences_of(conn, activity["id"])
    new_rows = await occurrences_of(conn, new["id"])
    assert [r["local_date"] for r in old_rows] == [date(2026, 3, 3), date(2026, 3, 6)]
    assert new_rows[0]["local_date"] == date(2026, 3, 10)
    assert all((r["ends_at"] - r["starts_at"]) == timedelta(minutes=90) for r in new_rows)
    moved = await conn.fetchrow("SELECT * FROM assignments WHERE occurrence_id = $1", rows[3]["id"])
    assert moved["status"] == "active" and moved["activity_role_id"] == new["roles"][0]["id"]
    assert rows[3]["id"] in [r["id"] for r in new_rows]  # the occurrence keeps its id
    assert len(old_rows) + len(new_rows) == 52


async def test_organisation_sets_cut_off_and_horizon(client, conn, org):
    activity = await plan(client, org)
    assert len(await occurrences_of(conn, activity["id"])) == 52
    changed = await client.patch(
        f"/organisations/{org.id}",
        headers=org.auth(),
        json={"horizon_weeks": 52, "withdrawal_cutoff_hours": 48},
    )
    assert changed.status_code == 200 and changed.json()["withdrawal_cutoff_hours"] == 48
    assert len(await occurrences_of(conn, activity["id"])) == 104  # materialised at once
    refused = await client.patch(f"/organisations/{org.id}", headers=org.auth(), json={"horizon_weeks": 500})
    assert refused.status_code == 400


async def test_spring_change_start_in_the_gap_keeps_its_elapsed_duration(client, conn, clock, org):
    """02:30 on 28 March 2027 does not exist in Stockholm: RFC 5545 reads it as 03:30 summer time,
    and the hour booked stays an hour (it used to leak "occurrences_check" as a 409)."""
    clock.advance(datetime(2027, 3, 20, 9, 0, tzinfo=UTC) - clock.now())
    activity = await plan(client, org, rrule=None, start_local="2027-03-28T02:30:00", duration_minutes=60)
    (row,) = await occurrences_of(conn, activity["id"])
    assert row["starts_at"] == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert row["ends_at"] - row["starts_at"] == timedelta(minutes=60)
    moved = await client.patch(  # one date moved to 01:30 for 90 minutes ends 04:00 summer time
        f"/organisations/{org.id}/occurrences/{row['id']}",
        headers=org.auth(),
        json={"start_local": "2027-03-28T01:30:00", "duration_minutes": 90},
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["ends_at"] == "2027-03-28T02:00:00Z"
