"""Changing a series from the board, as the API's PATCH and /split do: the whole series, or this
date and the following ones, with extra and skipped dates and a partner; dates shown before saving;
a start in the spring-forward hour refused with the field marked and nothing written."""

import re

import pytest

from tests.board.test_activities import PICKUP
from tests.board.test_plan import form_token, signed_in
from tests.support.factories import make_org, make_partners
from tests.support.scheduling import driving_licence, occurrences_of, plan, sign_up

pytestmark = pytest.mark.now("2026-03-16T10:00")  # two weeks before summer time (29 March)


def _dates(page: str) -> list[str]:
    return re.findall(r"<li>(\w+ \d+ \w+, \d\d:\d\d)</li>", page.split('id="preview"')[1])


async def _saved_pickup(client, conn) -> int:
    csrf = await form_token(client, "/board/activities/new")
    made = await client.post("/board/activities/new", data=PICKUP | {"csrf": csrf, "save": "1"})
    assert made.status_code == 200
    return await conn.fetchval("SELECT id FROM activities")


def _form_of(page: str) -> dict:
    """The edit form as the page filled it in, as a browser would send it."""
    form = page.split('id="change"')[1].split("</form>")[0]
    sent: dict = {}
    for name, value in re.findall(r'<input name="(\w+)" type="date" value="([^"]*)"', form):
        sent.setdefault(name, []).append(value)
    for name, value in re.findall(r'<input id="\w+" name="(\w+)" type="\w+" value="([^"]*)"', form):
        sent[name] = value
    sent["weekdays"] = re.findall(r'name="weekdays" value="(\w\w)" checked', form)
    sent["csrf"] = re.search(r'name="csrf" value="([^"]+)"', form)[1]
    return sent | {"scope": "series"}


async def test_the_whole_series_and_this_and_following(client, conn, clock, org):
    await signed_in(client, org)
    activity = await _saved_pickup(client, conn)
    page = await client.get(f"/board/activities/{activity}")
    sent = _form_of(page.text)
    assert sent["weekdays"] == ["TU", "FR"] and sent["times"] == "6" and sent["start_time"] == "10:00"

    later = sent | {"start_time": "11:00", "skipped_dates": ["2026-03-20"], "extra_dates": ["2026-03-21"]}
    preview = await client.post(f"/board/activities/{activity}", data=later | {"preview": "1"})
    assert _dates(preview.text)[:3] == [
        "tisdag 17 mars, 11:00",
        "lördag 21 mars, 11:00",
        "tisdag 24 mars, 11:00",
    ]
    assert await conn.fetchval("SELECT start_local::time FROM activities") == __import__("datetime").time(10)

    saved = await client.post(
        f"/board/activities/{activity}", data=later | {"save": "1"}, follow_redirects=False
    )
    assert (
        saved.status_code == 303
        and saved.headers["location"] == f"/board/activities/{activity}?saved=series#activity"
    )
    row = await conn.fetchrow(
        "SELECT rrule, start_local, rdates, exdates FROM activities WHERE id = $1", activity
    )
    assert row["rrule"] == "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=6" and row["start_local"].hour == 11
    assert [d.isoformat() for d in row["exdates"]] == ["2026-03-20T11:00:00"]

    following = sent | {
        "scope": "following",
        "from_date": "2026-03-27",
        "weekdays": ["FR"],
        "title": "Bröd, fredagar",
    }
    split = await client.post(
        f"/board/activities/{activity}", data=following | {"save": "1"}, follow_redirects=False
    )
    assert split.status_code == 303
    new_id = int(re.search(r"/board/activities/(\d+)", split.headers["location"])[1])
    assert new_id != activity
    old, new = await conn.fetch("SELECT title, ends_on, rrule, split_from FROM activities ORDER BY id")
    assert old["ends_on"].isoformat() == "2026-03-26" and new["split_from"] == activity
    assert new["title"] == "Bröd, fredagar" and "BYDAY=FR" in new["rrule"]


async def test_a_partner_by_its_short_name_and_bad_changes_marked(client, conn, clock, org):
    partner = await make_org(conn, clock, "uppsala-test")
    await make_partners(conn, clock, org.id, partner.id)
    await signed_in(client, org)
    activity = await _saved_pickup(client, conn)
    sent = _form_of((await client.get(f"/board/activities/{activity}")).text)

    unknown = await client.post(
        f"/board/activities/{activity}", data=sent | {"share_with": "nobody-here", "save": "1"}
    )
    assert unknown.status_code == 422
    assert re.search(r'id="share_with" name="share_with"[^>]*aria-invalid="true"', unknown.text)
    shared = await client.post(
        f"/board/activities/{activity}", data=sent | {"share_with": "uppsala-test", "save": "1"}
    )
    assert shared.status_code == 200
    assert await conn.fetchval("SELECT organisation_id FROM activity_shares") == partner.id
    assert re.search(rf'name="shared_with" value="{partner.id}" checked', shared.text)

    for bad, field in (
        ({"title": ""}, "title"),
        (
            {"scope": "following", "from_date": "2026-03-29", "start_time": "02:30"},
            "start_time",
        ),  # the spring gap
        ({"scope": "following", "from_date": "2026-03-17"}, "from_date"),  # the first date: the whole series
        ({"weekdays": []}, "weekdays"),
    ):
        refused = await client.post(f"/board/activities/{activity}", data=sent | bad | {"save": "1"})
        assert refused.status_code == 422, (bad, refused.text[:300])
        assert "Ingenting sparades" in refused.text
        assert f'aria-describedby="{field}-error"' in refused.text, bad
    assert await conn.fetchval("SELECT count(*) FROM activities") == 1


async def test_another_organisations_activity_is_not_found(client, conn, clock, org, other_org):
    await signed_in(client, org)
    theirs = await client.post(
        f"/organisations/{other_org.id}/activities",
        headers=other_org.auth(),
        json={
            "kind": "other",
            "title": "Deras",
            "time_zone": "Europe/Stockholm",
            "start_local": "2026-03-20T10:00:00",
            "duration_minutes": 60,
            "roles": [{"name": "volunteer", "min_people": 1, "max_people": 1}],
        },
    )
    assert theirs.status_code == 201, theirs.text
    page = await client.get(f"/board/activities/{theirs.json()['id']}")
    assert page.status_code == 404 and "Deras" not in page.text


async def test_a_role_changed_and_added_and_the_pickup_changed_each_save_on_their_own(client, conn, org):
    licence = await driving_licence(conn, org)
    bakery = await conn.fetchval(
        "INSERT INTO places (organisation_id, name, address) VALUES ($1, 'Bageriet Ljus', 'Storgatan 1')"
        " RETURNING id",
        org.id,
    )
    await signed_in(client, org)
    activity = await _saved_pickup(client, conn)
    page = (await client.get(f"/board/activities/{activity}")).text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    role = await conn.fetchval("SELECT id FROM activity_roles")
    assert 'id="place_id"' not in page  # a pickup's place is where it is picked up: asked once

    changed = await client.post(
        f"/board/activities/{activity}/roles/{role}",
        data={
            "csrf": csrf,
            "name": "chaufför",
            "min_people": "1",
            "max_people": "3",
            "qualification_type_ids": str(licence),
        },
        follow_redirects=False,
    )
    assert changed.headers["location"] == f"/board/activities/{activity}?saved=roles#roles"
    shown = (await client.get(changed.headers["location"])).text
    roles_part = shown.split('id="roles"')[1].split("</section>")[0]
    assert "Sparat." in roles_part and "chaufför: 1 till 3 (kräver Driving licence)" in roles_part

    added = await client.post(
        f"/board/activities/{activity}/roles",
        data={"csrf": csrf, "name": "medhjälpare", "min_people": "0", "max_people": "1"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert await conn.fetchval("SELECT array_agg(name ORDER BY id) FROM activity_roles") == [
        "chaufför",
        "medhjälpare",
    ]

    refused = await client.post(
        f"/board/activities/{activity}/roles/{role}",
        data={"csrf": csrf, "name": "chaufför", "min_people": "3", "max_people": "2"},
    )
    assert refused.status_code == 422
    assert "chaufför: minsta antalet är större än högsta." in refused.text
    assert re.search(r"<details open>\s*<summary>chaufför: 1 till 3", refused.text)  # its form, open
    assert (
        'value="3"'
        in refused.text.split(f'action="/board/activities/{activity}/roles/{role}"')[1].split("</form>")[0]
    )  # as typed
    assert await conn.fetchval("SELECT max_people FROM activity_roles WHERE id = $1", role) == 3

    pickup = await client.post(
        f"/board/activities/{activity}/pickup",
        data={
            "csrf": csrf,
            "donor": "Bageriet Ljus",
            "pickup_place_id": str(bakery),
            "what": "bröd och frukt",
        },
        follow_redirects=False,
    )
    assert pickup.headers["location"] == f"/board/activities/{activity}?saved=pickup#pickup"
    saved = await conn.fetchrow("SELECT place_id, details FROM activities WHERE id = $1", activity)
    assert saved["place_id"] == bakery
    assert '"donor": "Bageriet Ljus"' in saved["details"] and '"car_needed": false' in saved["details"]


async def test_the_date_names_who_lacks_a_qualification_added_to_her_role(client, conn, org):
    activity = await plan(client, org, start_local="2026-03-17T10:00:00")
    role = activity["roles"][0]
    first = (await occurrences_of(conn, activity["id"]))[0]
    assert (await sign_up(client, org, first["id"], role["id"])).status_code == 201
    licence = await driving_licence(conn, org)
    await client.put(
        f"/organisations/{org.id}/activities/{activity['id']}/roles/{role['id']}",
        headers=org.auth(),
        json={"name": "driver", "max_people": 2, "qualification_type_ids": [licence]},
    )
    await signed_in(client, org)
    page = (await client.get(f"/board/occurrences/{first['id']}")).text
    assert re.search(
        r"Volunteer of malmo-test\s*·\s*<strong[^>]*>saknar Driving licence den dagen</strong>", page
    )
