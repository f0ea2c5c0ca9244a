"""A new series from the board in plain words: the dates it will get shown before saving (at the
same wall-clock time across the spring change), the RRULE built by the service, bad input marked."""

import re

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import make_partners
from tests.support.scheduling import driving_licence

pytestmark = pytest.mark.now("2026-03-16T10:00")  # two weeks before summer time (29 March)

PICKUP = {
    "kind": "food_pickup",
    "title": "Bröd från bageriet",
    "weekdays": ["TU", "FR"],
    "start_date": "2026-03-17",
    "start_time": "10:00",
    "duration_minutes": "120",
    "every_weeks": "1",
    "times": "6",
    "role_name": "driver",
    "role_min": "1",
    "role_max": "2",
    "donor": "Bageriet Exempel",
    "what": "bröd",
    "car_needed": "true",
}


async def test_preview_then_save_a_pickup_in_plain_words(client, conn, org):
    licence = await driving_licence(conn, org)
    await signed_in(client, org)
    csrf = await form_token(client, "/board/activities/new")
    sent = PICKUP | {"csrf": csrf, "qualification_type_id": str(licence)}
    preview = await client.post("/board/activities/new", data=sent | {"preview": "1"})
    assert preview.status_code == 200
    dates = re.findall(r"<li>(\w+ \d+ \w+, \d\d:\d\d)</li>", preview.text.split('id="preview"')[1])
    assert dates == [
        "tisdag 17 mars, 10:00",
        "fredag 20 mars, 10:00",
        "tisdag 24 mars, 10:00",
        "fredag 27 mars, 10:00",
        "tisdag 31 mars, 10:00",  # summer time since Sunday: still 10:00 on the wall
        "fredag 3 april, 10:00",
    ]
    assert await conn.fetchval("SELECT count(*) FROM activities") == 0  # a preview saves nothing
    assert 'value="Bröd från bageriet"' in preview.text and "checked" in preview.text

    saved = await client.post("/board/activities/new", data=sent | {"save": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    activity = await conn.fetchrow("SELECT * FROM activities")
    assert saved.headers["location"] == f"/board/activities/{activity['id']}?saved=series#activity"
    shown = (await client.get(saved.headers["location"])).text
    assert "Sparat." in shown and "driver: 1 till 2 (kräver Driving licence)" in shown  # what a role needs
    assert activity["rrule"] == "FREQ=WEEKLY;BYDAY=TU,FR;COUNT=6" and activity["kind"] == "food_pickup"
    role = await conn.fetchrow("SELECT * FROM activity_roles WHERE activity_id = $1", activity["id"])
    assert (role["name"], role["min_people"], role["max_people"]) == ("driver", 1, 2)
    assert await conn.fetchval("SELECT count(*) FROM occurrences WHERE activity_id = $1", activity["id"]) == 6
    listed = await client.get("/board/activities")
    assert "Bröd från bageriet" in listed.text and "Matupphämtning" in listed.text


@pytest.mark.parametrize(
    "change, marked",
    [
        ({"title": ""}, "title"),
        ({"weekdays": []}, "weekdays"),
        ({"until": "2026-06-30"}, "until"),  # and six times: one end only
        ({"start_time": "25:00"}, "start_time"),
        ({"duration_minutes": "0"}, "duration_minutes"),
    ],
)
async def test_bad_input_is_marked_and_nothing_saved(client, conn, org, change, marked):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/activities/new")
    refused = await client.post("/board/activities/new", data=PICKUP | change | {"csrf": csrf, "save": "1"})
    assert refused.status_code == 422, refused.text[-500:]
    assert "Ingenting sparades. Se det markerade fältet." in refused.text
    assert f'id="{marked}-error"' in refused.text
    assert await conn.fetchval("SELECT count(*) FROM activities") == 0


async def test_several_roles_each_with_its_numbers_and_qualification(client, conn, org):
    licence = await driving_licence(conn, org)
    await signed_in(client, org)
    csrf = await form_token(client, "/board/activities/new")
    sent = PICKUP | {
        "csrf": csrf,
        "save": "1",
        "role_name": ["driver", "helper", ""],  # the empty spare row is left out
        "role_min": ["1", "0", ""],
        "role_max": ["1", "3", ""],
        "qualification_type_id": [str(licence), "", ""],
    }
    saved = await client.post("/board/activities/new", data=sent, follow_redirects=False)
    assert saved.status_code == 303
    roles = await conn.fetch(
        "SELECT r.name, r.min_people, r.max_people, array_agg(q.qualification_type_id) AS needs"
        " FROM activity_roles r LEFT JOIN activity_role_qualifications q ON q.activity_role_id = r.id"
        " GROUP BY r.id ORDER BY r.id"
    )
    assert [tuple(r) for r in roles] == [("driver", 1, 1, [licence]), ("helper", 0, 3, [None])]
    same_name = await client.post(
        "/board/activities/new", data=sent | {"role_name": ["driver", "Driver", ""]}
    )
    assert same_name.status_code == 422 and 'aria-describedby="role_name-error"' in same_name.text
    assert await conn.fetchval("SELECT count(*) FROM activities") == 1


async def test_extra_and_skipped_dates_and_a_partner_on_a_new_series(client, conn, clock, org, other_org):
    await make_partners(conn, clock, org.id, other_org.id)
    await signed_in(client, org)
    csrf = await form_token(client, "/board/activities/new")
    sent = PICKUP | {
        "csrf": csrf,
        "extra_dates": ["2026-03-18", ""],
        "skipped_dates": ["2026-03-20", ""],
        "share_with": "oslo-test",
    }
    preview = await client.post("/board/activities/new", data=sent | {"preview": "1"})
    dates = re.findall(r"<li>(\w+ \d+ \w+, \d\d:\d\d)</li>", preview.text.split('id="preview"')[1])
    assert dates[:3] == ["tisdag 17 mars, 10:00", "onsdag 18 mars, 10:00", "tisdag 24 mars, 10:00"]
    unknown = await client.post("/board/activities/new", data=sent | {"share_with": "nobody", "save": "1"})
    assert unknown.status_code == 422 and 'aria-describedby="share_with-error"' in unknown.text
    saved = await client.post("/board/activities/new", data=sent | {"save": "1"}, follow_redirects=False)
    assert saved.status_code == 303
    assert await conn.fetchval("SELECT organisation_id FROM activity_shares") == other_org.id


async def test_the_form_asks_only_what_applies_to_the_kind(client, conn, org):
    await signed_in(client, org)
    pickup = (await client.get("/board/activities/new", params={"kind": "food_pickup"})).text
    assert 'id="donor"' in pickup and 'id="pickup_place_id"' in pickup
    assert 'id="place_id"' not in pickup and 'id="participant_capacity"' not in pickup  # not asked twice
    assert 'action="/board/activities/new#preview"' in pickup  # "show the dates" lands on the dates
    meeting = (await client.get("/board/activities/new", params={"kind": "group_meeting"})).text
    assert (
        'id="participant_capacity"' in meeting and 'id="place_id"' in meeting and 'id="donor"' not in meeting
    )
    outreach = (await client.get("/board/activities/new", params={"kind": "outreach_visit"})).text
    assert 'id="participant_capacity"' not in outreach and 'id="donor"' not in outreach
    # A pickup's place is where it is picked up.
    bakery = await conn.fetchval(
        "INSERT INTO places (organisation_id, name) VALUES ($1, 'Bageriet') RETURNING id", org.id
    )
    csrf = await form_token(client, "/board/activities/new")
    saved = await client.post(
        "/board/activities/new",
        data=PICKUP | {"csrf": csrf, "pickup_place_id": str(bakery), "save": "1"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    assert await conn.fetchval("SELECT place_id FROM activities ORDER BY id DESC LIMIT 1") == bakery
