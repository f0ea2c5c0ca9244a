"""People of an organisation: creation, validation at the edge and in PostgreSQL, visibility."""

import pytest


async def count_people(conn) -> int:
    return await conn.fetchval("SELECT count(*) FROM people")


async def test_coordinator_adds_a_person_with_a_local_number(client, org):
    response = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth(),
        json={"display_name": "Nora Påhittad", "phone": "070-174 06 77", "roles": ["volunteer"]},
    )
    assert response.status_code == 201, response.text
    person = response.json()
    assert person["phone"] == "+46701740677"
    assert person["language"] == "sv"  # the organisation's default
    assert person["time_zone"] == "Europe/Stockholm"
    assert person["roles"] == ["volunteer"]
    assert person["sms_consent"] is False


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"display_name": "A", "roles": ["volunteer"], "phone": "12345"}, 422, "phone"),
        ({"display_name": "A", "roles": ["volunteer"], "phone": "not a number"}, 422, "phone"),
        ({"display_name": "A", "roles": ["volunteer"], "language": "de"}, 400, "language"),
        ({"display_name": 5, "roles": ["volunteer"]}, 400, "display_name"),
        ({"display_name": "A", "roles": []}, 400, "roles"),
        ({"display_name": "A", "roles": ["admin"]}, 400, "roles"),
        ({"display_name": "", "roles": ["volunteer"]}, 400, "display_name"),
        ({"display_name": "A", "roles": ["volunteer"], "time_zone": "Mars/Olympus"}, 422, "time_zone"),
        ({"display_name": "A", "roles": ["volunteer"], "surprise": 1}, 400, "surprise"),
        ({"roles": ["volunteer"]}, 400, "display_name"),
    ],
)
async def test_bad_person_is_refused_and_nothing_written(client, conn, org, body, status, field):
    before = await count_people(conn)
    response = await client.post(f"/organisations/{org.id}/people", headers=org.auth(), json=body)
    assert response.status_code == status, response.text
    problem = response.json()
    assert response.headers["content-type"].startswith("application/problem+json")
    assert problem["status"] == status
    assert field in problem["detail"] or any(field in e["field"] for e in problem.get("errors", []))
    assert "Traceback" not in response.text and "asyncpg" not in response.text
    assert await count_people(conn) == before


async def test_invalid_json_and_wrong_shape(client, conn, org):
    before = await count_people(conn)
    bad = await client.post(
        f"/organisations/{org.id}/people",
        headers={**org.auth(), "Content-Type": "application/json"},
        content=b'{"display_name": "A", ',
    )
    assert bad.status_code == 400 and bad.json()["detail"] == "The body is not valid JSON."
    listed = await client.post(f"/organisations/{org.id}/people", headers=org.auth(), json=["a"])
    assert listed.status_code == 400
    assert await count_people(conn) == before


async def test_oversized_body_is_413(client, conn, org):
    before = await count_people(conn)
    response = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth(),
        json={"display_name": "A" * 200_000, "roles": ["volunteer"]},
    )
    assert response.status_code == 413
    assert response.json()["detail"] == "The request body is too large."
    assert await count_people(conn) == before


@pytest.mark.parametrize(
    ("phone", "language", "time_zone"),
    [("12345", "sv", "Europe/Oslo"), (None, "de", "Europe/Oslo"), (None, "sv", "Mars/Olympus")],
)
async def test_database_refuses_what_the_api_refuses(conn, phone, language, time_zone):
    import asyncpg

    with pytest.raises(asyncpg.CheckViolationError):
        await conn.execute(
            "INSERT INTO people (display_name, phone, language, time_zone) VALUES ('X', $1, $2, $3)",
            phone,
            language,
            time_zone,
        )


async def test_same_phone_twice_in_an_organisation_is_409(client, conn, org):
    body = {"display_name": "Twin", "phone": org.volunteer_phone, "roles": ["volunteer"]}
    before = await count_people(conn)
    response = await client.post(f"/organisations/{org.id}/people", headers=org.auth(), json=body)
    assert response.status_code == 409
    assert await count_people(conn) == before


async def test_volunteer_sees_only_themself(client, org):
    own = await client.get(
        f"/organisations/{org.id}/people/{org.volunteer_id}", headers=org.auth("volunteer")
    )
    assert own.status_code == 200 and own.json()["id"] == org.volunteer_id
    other = await client.get(
        f"/organisations/{org.id}/people/{org.coordinator_id}", headers=org.auth("volunteer")
    )
    assert other.status_code == 404
    listing = await client.get(f"/organisations/{org.id}/people", headers=org.auth("volunteer"))
    assert listing.status_code == 403


async def test_volunteer_changes_own_language(client, org):
    response = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth("volunteer"),
        json={"language": "en"},
    )
    assert response.status_code == 200 and response.json()["language"] == "en"
    refused = await client.patch(
        f"/organisations/{org.id}/people/{org.coordinator_id}",
        headers=org.auth("volunteer"),
        json={"language": "en"},
    )
    assert refused.status_code == 404


async def test_patch_keeps_unsent_fields_and_can_clear_phone(client, org):
    url = f"/organisations/{org.id}/people/{org.volunteer_id}"
    response = await client.patch(url, headers=org.auth(), json={"phone": None})
    assert response.status_code == 200
    assert response.json()["phone"] is None
    assert response.json()["display_name"] == f"Volunteer of {org.slug}"


async def test_last_coordinator_cannot_be_removed(client, org):
    url = f"/organisations/{org.id}/people/{org.coordinator_id}/roles/coordinator"
    response = await client.delete(url, headers=org.auth())
    assert response.status_code == 409
    promoted = await client.post(
        f"/organisations/{org.id}/people/{org.volunteer_id}/roles",
        headers=org.auth(),
        json={"role": "coordinator"},
    )
    assert promoted.json()["roles"] == ["coordinator", "volunteer"]
    assert (await client.delete(url, headers=org.auth())).status_code == 204


async def test_people_list_pages(client, org):
    for n in range(5):
        await client.post(
            f"/organisations/{org.id}/people",
            headers=org.auth(),
            json={"display_name": f"Person {n}", "roles": ["volunteer"]},
        )
    seen, cursor, pages = [], None, 0
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = (await client.get(f"/organisations/{org.id}/people", headers=org.auth(), params=params)).json()
        seen += [p["id"] for p in page["items"]]
        pages += 1
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert pages == 3 and len(seen) == len(set(seen)) == 7
    bad = await client.get(f"/organisations/{org.id}/people", headers=org.auth(), params={"limit": 0})
    assert bad.status_code == 422
    bad = await client.get(f"/organisations/{org.id}/people", headers=org.auth(), params={"cursor": "x"})
    assert bad.status_code == 422


async def test_missing_body_says_so(client, conn, org):
    response = await client.post(f"/organisations/{org.id}/people", headers=org.auth())
    assert response.status_code == 400
    assert response.json()["detail"] == "body: a JSON body is required"
