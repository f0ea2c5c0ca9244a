"""Whatever a client sends gets a clear 4xx problem and changes nothing: ids beyond PostgreSQL's
bigint, JSON nested a thousand levels deep, NUL characters in JSON and CSV."""

import pytest

from tests.support.scheduling import PICKUP

HUGE = 2**63  # one more than the largest bigint
PERSON = {"display_name": "Nora Påhittad", "phone": "070-174 06 77", "roles": ["volunteer"]}


def assert_problem(response, *statuses: int) -> dict:
    assert response.status_code in statuses, (response.status_code, response.text)
    assert response.headers["content-type"].startswith("application/problem+json")
    return response.json()


@pytest.mark.parametrize(
    "path",
    [
        "/organisations/{huge}/people",
        "/organisations/{org}/people/{huge}",
        "/organisations/{org}/activities/{huge}",
        "/organisations/{org}/occurrences/{huge}",
        "/organisations/{org}/booking-requests/{huge}",
        "/organisations/{org}/people/{huge}/availability",
        "/organisations/{org}/people/{big}",  # far beyond any integer type
    ],
)
async def test_an_id_beyond_bigint_in_the_path_is_not_found(client, org, path):
    url = path.format(org=org.id, huge=HUGE, big="9" * 40)
    assert_problem(await client.get(url, headers=org.auth()), 404)


async def test_an_id_beyond_bigint_in_a_query_or_body_names_the_field(client, conn, org):
    query = await client.get(
        f"/organisations/{org.id}/occurrences", headers=org.auth(), params={"activity_id": HUGE}
    )
    assert "activity_id" in assert_problem(query, 400)["detail"]
    body = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | {"place_id": HUGE}
    )
    assert "place_id" in assert_problem(body, 400)["detail"]
    role = PICKUP["roles"][0] | {"qualification_type_ids": [HUGE]}
    nested = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | {"roles": [role]}
    )
    assert "qualification_type_ids" in assert_problem(nested, 400)["detail"]
    assert await conn.fetchval("SELECT count(*) FROM activities") == 0


async def test_json_nested_a_thousand_levels_is_a_bad_request(client, org):
    for depth in (40, 1000, 20_000):
        deep = "[" * depth + "]" * depth
        response = await client.post(
            f"/organisations/{org.id}/people",
            headers=org.auth() | {"content-type": "application/json"},
            content=f'{{"display_name": "x", "phone": "0701740677", "roles": {deep}}}',
        )
        assert "nested too deeply" in assert_problem(response, 400)["detail"]


@pytest.mark.parametrize(
    ("body", "field"),
    [(PERSON | {"display_name": "Nora\u0000"}, "display_name"), (PERSON | {"phone": "\u0000"}, "phone")],
)
async def test_a_nul_character_in_json_is_refused_naming_the_field(client, conn, org, body, field):
    response = await client.post(f"/organisations/{org.id}/people", headers=org.auth(), json=body)
    problem = assert_problem(response, 422)
    assert problem["errors"] == [{"field": field, "message": "must not contain the NUL character (\\u0000)"}]
    assert await conn.fetchval("SELECT count(*) FROM people WHERE display_name LIKE 'Nora%'") == 0


async def test_a_nul_character_deep_in_an_activity_names_its_place(client, conn, org):
    roles = [{"name": "driver"}, {"name": "dri\u0000ver"}]
    response = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | {"roles": roles}
    )
    assert assert_problem(response, 422)["errors"][0]["field"] == "roles[1].name"
    assert await conn.fetchval("SELECT count(*) FROM activities") == 0


async def test_a_nul_character_in_a_spreadsheet_names_the_row(client, conn, org):
    csv = "name,phone\nAlva Påhittad,070-174 06 70\nBo\u0000 Prov,070-174 06 71\n"
    response = await client.post(
        f"/organisations/{org.id}/people/import",
        headers=org.auth() | {"content-type": "text/csv"},
        content=csv.encode(),
    )
    errors = assert_problem(response, 422)["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(3, "name")]
    assert await conn.fetchval("SELECT count(*) FROM people WHERE display_name LIKE 'Alva%'") == 0


async def test_a_nul_character_in_a_feed_address_finds_nothing(client):
    assert (await client.get("/feeds/abc%00def.ics")).status_code in (404, 422)


async def test_text_that_is_not_utf8_is_a_bad_request(client, org):
    response = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth() | {"content-type": "application/json"},
        content='{"display_name": "Nora Påhittad"}'.encode("latin-1"),
    )
    assert_problem(response, 400)


@pytest.mark.parametrize("path", ["/occurrences", "/gaps", "/room-problems"])
async def test_a_window_without_an_offset_is_refused_and_paging_is_checked(client, org, path):
    naive = await client.get(
        f"/organisations/{org.id}{path}", headers=org.auth(), params={"start": "2026-03-02T00:00:00"}
    )
    assert assert_problem(naive, 422)["type"].endswith("naive-time")
    dated = await client.get(
        f"/organisations/{org.id}{path}",
        headers=org.auth(),
        params={"start": "2026-03-02T00:00:00+01:00", "end": "2026-03-09T00:00:00+01:00"},
    )
    assert dated.status_code == 200, dated.text
    too_many = await client.get(f"/organisations/{org.id}/people", headers=org.auth(), params={"limit": 500})
    assert assert_problem(too_many, 422)["type"].endswith("bad-limit")
