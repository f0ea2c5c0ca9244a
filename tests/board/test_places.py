"""Places from the board: a protected address shown to its own coordinators only, bad input shown
again with the field marked and nothing written, the API's contract and rules behind the forms."""

import re

import pytest

from tests.board.test_plan import form_token, signed_in

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_add_and_change_places_the_protected_address_stays_with_its_coordinators(
    client, conn, org, other_org
):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/places")
    added = await client.post(
        "/board/places",
        data={"csrf": csrf, "name": "The house", "address": "Hemliga vägen 1", "protected": "true"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    listed = await client.get(added.headers["location"])
    assert "Sparat: The house" in listed.text and "Hemliga vägen 1" in listed.text
    assert "skyddad: bara organisationens samordnare ser adressen" in listed.text
    place_id = await conn.fetchval("SELECT id FROM places WHERE name = 'The house'")
    assert await conn.fetchval("SELECT protected FROM places WHERE id = $1", place_id)

    changed = await client.post(
        f"/board/places/{place_id}",
        data={"csrf": csrf, "name": "The house", "address": "Hemliga vägen 2", "protected": "true"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    assert await conn.fetchval("SELECT address FROM places WHERE id = $1", place_id) == "Hemliga vägen 2"

    # Another organisation's coordinator gets "not found", and never the address.
    await signed_in(client, other_org)
    theirs = await client.get(f"/board/places/{place_id}")
    assert theirs.status_code == 404 and "Hemliga" not in theirs.text
    assert "Hemliga" not in (await client.get("/board/places")).text


@pytest.mark.parametrize(
    "fields, marked",
    [
        ({"name": "", "address": "Storgatan 1"}, "name"),
        ({"name": "Parken", "latitude": "55.6"}, "latitude"),  # half of the coordinates
        ({"name": "Parken", "latitude": "north", "longitude": "13"}, "latitude"),
        ({"name": "x" * 500}, "name"),
    ],
)
async def test_bad_input_shows_the_form_again_with_the_field_marked(client, conn, org, fields, marked):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/places")
    refused = await client.post("/board/places", data={"csrf": csrf, **fields})
    assert refused.status_code == 422
    assert "Ingenting sparades. Se det markerade fältet." in refused.text
    assert re.search(rf'id="{marked}" name="{marked}"[^>]*aria-invalid="true"', refused.text, re.S)
    assert f'id="{marked}-error"' in refused.text
    assert (fields.get("address") or "") in refused.text  # what she typed is still there
    assert await conn.fetchval("SELECT count(*) FROM places") == 0
