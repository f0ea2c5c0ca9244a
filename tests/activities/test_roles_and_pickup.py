"""A series' roles and a pickup's details changed after planning: for every date, never taking
anyone off a shift without a word, and never letting a role hold fewer than a coming date has."""

import asyncio

import asyncpg
import pytest

from schemas.scheduling import RoleSpec
from services.access.service import Access
from services.activities import roles
from services.problems import Conflict
from tests.support.scheduling import driving_licence, occurrences_of, plan, sign_up

pytestmark = pytest.mark.now("2026-03-02T10:00")


def _url(org, activity, tail: str = "") -> str:
    return f"/organisations/{org.id}/activities/{activity['id']}{tail}"


async def _staffing(client, org, occurrence_id: int) -> dict[str, dict]:
    got = await client.get(f"/organisations/{org.id}/occurrences/{occurrence_id}", headers=org.auth())
    return {r["name"]: r for r in got.json()["roles"]}


async def test_a_role_added_later_is_open_on_every_coming_date(client, conn, org):
    activity = await plan(client, org)
    added = await client.post(
        _url(org, activity, "/roles"), headers=org.auth(), json={"name": "helper", "min_people": 1}
    )
    assert added.status_code == 201, added.text
    assert [r["name"] for r in added.json()["roles"]] == ["driver", "helper"]
    first = (await occurrences_of(conn, activity["id"]))[0]
    helper = (await _staffing(client, org, first["id"]))["helper"]
    assert helper["state"] == "short" and helper["taken"] == 0


async def test_changing_a_role_keeps_who_is_on_and_asks_its_qualification_of_the_next(client, conn, org):
    activity = await plan(client, org)
    role = activity["roles"][0]
    first, second = (await occurrences_of(conn, activity["id"]))[:2]
    assert (await sign_up(client, org, first["id"], role["id"])).status_code == 201
    licence = await driving_licence(conn, org)
    changed = await client.put(
        _url(org, activity, f"/roles/{role['id']}"),
        headers=org.auth(),
        json={"name": "chaufför", "min_people": 2, "max_people": 3, "qualification_type_ids": [licence]},
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["roles"] == [
        {
            "id": role["id"],
            "name": "chaufför",
            "min_people": 2,
            "max_people": 3,
            "qualification_type_ids": [licence],
        }
    ]
    kept = await conn.fetchval("SELECT count(*) FROM assignments WHERE status = 'active'")
    assert kept == 1  # she stays on her date, and nobody was told anything changed for her
    assert await conn.fetchval("SELECT count(*) FROM assignment_notices") == 0
    # The coordinator hears of it: the gap board names her and the licence she lacks on that date.
    gaps = await client.get(
        f"/organisations/{org.id}/gaps",
        headers=org.auth(),
        params={"start": "2026-03-02T00:00:00+01:00", "end": "2026-03-04T00:00:00+01:00"},
    )
    lacking = [r for g in gaps.json() for r in g["reasons"] if r["cause"] == "qualification_expired"]
    assert [(r["person_id"], r["qualifications"]) for r in lacking] == [
        (org.volunteer_id, ["Driving licence"])
    ]
    refused = await sign_up(client, org, second["id"], role["id"])
    assert refused.status_code == 422 and "Driving licence" in refused.json()["detail"]


async def test_a_role_cannot_hold_fewer_than_a_coming_date_has(client, conn, org):
    activity = await plan(client, org)
    role = activity["roles"][0]
    first = (await occurrences_of(conn, activity["id"]))[0]
    for who in ("volunteer", "coordinator"):
        assert (await sign_up(client, org, first["id"], role["id"], who)).status_code == 201
    refused = await client.put(
        _url(org, activity, f"/roles/{role['id']}"),
        headers=org.auth(),
        json={"name": "driver", "min_people": 1, "max_people": 1},
    )
    assert refused.status_code == 409
    assert refused.json()["type"].endswith("role-fuller-than-max")
    assert "2026-03-03" in refused.json()["detail"]
    assert await conn.fetchval("SELECT max_people FROM activity_roles WHERE id = $1", role["id"]) == 2


@pytest.mark.parametrize(
    ("role", "status", "code"),
    [
        ({"name": "driver", "min_people": 3, "max_people": 2}, 422, "bad-role"),
        ({"name": "Helper"}, 422, "duplicate-role"),
        ({"name": "driver", "qualification_type_ids": [999]}, 422, "unknown-qualification"),
    ],
)
async def test_a_bad_role_change_is_refused_and_nothing_written(client, conn, org, role, status, code):
    activity = await plan(client, org, roles=[{"name": "driver", "max_people": 2}, {"name": "helper"}])
    before = await conn.fetch("SELECT * FROM activity_roles ORDER BY id")
    got = await client.put(
        _url(org, activity, f"/roles/{activity['roles'][0]['id']}"), headers=org.auth(), json=role
    )
    assert got.status_code == status, got.text
    assert got.json()["type"].endswith(code)
    assert await conn.fetch("SELECT * FROM activity_roles ORDER BY id") == before


async def test_only_the_own_coordinator_changes_roles(client, conn, org, other_org):
    activity = await plan(client, org)
    role_url = _url(org, activity, f"/roles/{activity['roles'][0]['id']}")
    as_volunteer = await client.put(role_url, headers=org.auth("volunteer"), json={"name": "x"})
    assert as_volunteer.status_code == 403
    elsewhere = f"/organisations/{other_org.id}/activities/{activity['id']}/roles"
    assert (await client.post(elsewhere, headers=other_org.auth(), json={"name": "x"})).status_code == 404
    no_role = await client.put(_url(org, activity, "/roles/999"), headers=org.auth(), json={"name": "x"})
    assert no_role.status_code == 404 and no_role.json()["type"].endswith("role-not-found")


async def test_an_assignment_being_written_is_counted_before_a_role_shrinks(
    clock, conn, database_url, client, org
):
    """The sign-up's transaction is still open when the coordinator lowers the role to one: the
    change waits for it (the role row's lock meets the sign-up's foreign-key lock), counts two
    people and refuses; without the lock it would count one, save, and leave the date over its
    number."""
    activity = await plan(client, org)
    role = activity["roles"][0]
    first = (await occurrences_of(conn, activity["id"]))[0]
    assert (await sign_up(client, org, first["id"], role["id"])).status_code == 201
    other = await asyncpg.connect(database_url)
    coordinator = Access.without_token(org.coordinator_id, org.id, "coordinator")
    try:
        writing = other.transaction()
        await writing.start()
        await other.execute(
            "INSERT INTO assignments (occurrence_id, activity_role_id, person_id, source)"
            " VALUES ($1, $2, $3, 'assigned')",
            first["id"],
            role["id"],
            org.coordinator_id,
        )
        shrinking = asyncio.create_task(
            roles.change_role(conn, clock, coordinator, activity["id"], role["id"], RoleSpec("driver", 1, 1))
        )
        await asyncio.sleep(0.3)
        assert not shrinking.done()  # it waits for the sign-up being written
        await writing.commit()
        with pytest.raises(Conflict):
            await shrinking
    finally:
        await other.close()
    assert await conn.fetchval("SELECT max_people FROM activity_roles WHERE id = $1", role["id"]) == 2


async def test_a_pickups_details_change_for_the_series_and_for_the_following_dates(client, conn, org):
    bakery = await client.post(
        f"/organisations/{org.id}/places", headers=org.auth(), json={"name": "Bageriet"}
    )
    activity = await plan(client, org, food_pickup={"donor": "ICA", "what": "bread"})
    changed = await client.patch(
        _url(org, activity),
        headers=org.auth(),
        json={
            "food_pickup": {
                "donor": "Bageriet Ljus",
                "pickup_place_id": bakery.json()["id"],
                "car_needed": True,
            }
        },
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["food_pickup"]["donor"] == "Bageriet Ljus"
    assert changed.json()["food_pickup"]["car_needed"] is True
    split = await client.post(
        _url(org, activity, "/split"),
        headers=org.auth(),
        json={"from_date": "2026-04-01", "change": {"food_pickup": {"donor": "Coop"}}},
    )
    assert split.status_code == 201, split.text
    assert split.json()["food_pickup"]["donor"] == "Coop"
    old = await client.get(_url(org, activity), headers=org.auth())
    assert old.json()["food_pickup"]["donor"] == "Bageriet Ljus"


async def test_only_a_pickup_has_pickup_details(client, conn, org):
    activity = await plan(client, org, kind="group_meeting", title="Group")
    got = await client.patch(_url(org, activity), headers=org.auth(), json={"food_pickup": {"donor": "x"}})
    assert got.status_code == 422 and got.json()["type"].endswith("not-a-pickup")
    pickup = await plan(client, org)
    no_such_place = await client.patch(
        _url(org, pickup), headers=org.auth(), json={"food_pickup": {"pickup_place_id": 999}}
    )
    assert no_such_place.status_code == 422 and no_such_place.json()["type"].endswith("unknown-place")
