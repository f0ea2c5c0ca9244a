"""The board and shift pages over HTTP: who may open them, in which language, and what a bad
link, an old form or another organisation's coordinator gets. (The browser walks are in
tests/pages/test_pages_browser.py.)"""

import re
from datetime import timedelta

import pytest

from services.access import links
from tests.support.factories import add_member, fictional_phone
from tests.support.scheduling import occurrences_of, plan, protected_place

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")

LINK = re.compile(r"https?://\S+/s/(\S+)")


async def sign_in(client, token: str):
    return await client.get("/board/sign-in", params={"token": token}, follow_redirects=False)


async def short_pickup(client, conn, org, **overrides):
    activity = await plan(
        client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}], **overrides
    )
    return (await occurrences_of(conn, activity["id"]))[0], activity["roles"][0]["id"]


async def test_token_link_signs_in_and_leaves_the_address_bar(client, conn, org):
    await short_pickup(client, conn, org)
    signed = await sign_in(client, org.coordinator_token)
    assert signed.status_code == 303 and signed.headers["location"] == "/board"
    cookie = signed.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/board" in cookie
    board = await client.get("/board")
    assert board.status_code == 200 and board.headers["content-type"].startswith("text/html")
    assert '<html lang="sv">' in board.text and "Bread from the bakery" in board.text
    assert "driver: 1 till behövs" in board.text
    assert (
        board.headers["referrer-policy"] == "no-referrer"
        and "default-src 'none'" in (board.headers["content-security-policy"])
    )
    csrf = re.search(r'name="csrf" value="([^"]+)"', board.text)[1]
    signed_out = await client.post("/board/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert signed_out.status_code == 303
    again = await client.get("/board")
    assert again.status_code == 401 and 'action="/board/sign-in"' in again.text


async def test_wrong_token_and_volunteers_get_a_page_in_their_terms(client, org):
    wrong = await client.post(
        "/board/sign-in", data={"token": "vo_not-a-real-one"}, headers={"Accept-Language": "sv-SE,sv;q=0.9"}
    )
    assert wrong.status_code == 401 and "Nyckeln fungerar inte" in wrong.text
    wrong_en = await client.post(
        "/board/sign-in", data={"token": "nonsense"}, headers={"Accept-Language": "en-GB,en;q=0.8"}
    )
    assert wrong_en.status_code == 401 and "This key no longer works" in wrong_en.text
    volunteer = await sign_in(client, org.volunteer_token)
    assert volunteer.status_code == 403 and "för samordnare" in volunteer.text
    assert "application/problem+json" not in volunteer.headers["content-type"]


async def test_an_english_speaking_coordinator_reads_english(client, conn, clock, org):
    await conn.execute("UPDATE people SET language = 'en' WHERE id = $1", org.coordinator_id)
    await short_pickup(client, conn, org)
    await sign_in(client, org.coordinator_token)
    board = await client.get("/board")
    assert "Gaps in the rota" in board.text and "driver: 1 more needed" in board.text


async def test_a_form_not_rendered_for_this_session_changes_nothing(client, conn, clock, org):
    occurrence, role_id = await short_pickup(client, conn, org)
    await add_member(conn, clock, org, "Anna", phone=fictional_phone())
    await sign_in(client, org.coordinator_token)
    page = await client.get(f"/board/occurrences/{occurrence['id']}/roles/{role_id}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    forged = await client.post(
        f"/board/occurrences/{occurrence['id']}/roles/{role_id}/ask", data={"people": "2", "csrf": "x" + csrf}
    )
    assert forged.status_code == 403 and "Formuläret var för gammalt" in forged.text
    assert await conn.fetchval("SELECT count(*) FROM cover_requests") == 0
    bad = await client.post(
        f"/board/occurrences/{occurrence['id']}/roles/{role_id}/ask", data={"people": "0", "csrf": csrf}
    )
    assert bad.status_code == 422 and await conn.fetchval("SELECT count(*) FROM cover_requests") == 0
    asked = await client.post(
        f"/board/occurrences/{occurrence['id']}/roles/{role_id}/ask",
        data={"people": "2", "answer_within_minutes": "60", "csrf": csrf},
        follow_redirects=False,
    )
    assert asked.status_code == 303 and asked.headers["location"].endswith("?asked=2")
    twice = await client.post(
        f"/board/occurrences/{occurrence['id']}/roles/{role_id}/ask", data={"people": "2", "csrf": csrf}
    )
    assert twice.status_code == 409 and "Det pågår redan en förfrågan" in twice.text


async def test_another_organisations_coordinator_finds_nothing(client, conn, org, other_org):
    occurrence, role_id = await short_pickup(client, conn, org)
    await sign_in(client, other_org.coordinator_token)
    board = await client.get("/board")
    assert board.status_code == 200 and "Bread from the bakery" not in board.text
    page = await client.get(f"/board/occurrences/{occurrence['id']}/roles/{role_id}")
    assert page.status_code == 404 and "Bread" not in page.text


async def test_shift_links_are_signed_single_person_and_expire(client, conn, clock, org):
    place = await protected_place(client, org, "Hemliga gatan 7", 55.6)
    occurrence, role_id = await short_pickup(client, conn, org, place_id=place["id"])
    anna = await add_member(conn, clock, org, "Anna Exempel", phone=fictional_phone())
    response = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{role_id}/cover-requests",
        headers=org.auth(),
        json={"people": 3},
    )
    assert response.status_code == 201 and anna in response.json()["asked"]
    body = await conn.fetchval("SELECT body FROM outbox WHERE person_id = $1", anna)
    token = LINK.search(body)[1]
    page = await client.get(f"/s/{token}")
    assert page.status_code == 200 and "Hej Anna!" in page.text and "Kan du ta det här passet?" in page.text
    assert "The house" in page.text and "adress från din samordnare" in page.text
    assert "Hemliga" not in page.text  # a protected address never reaches a volunteer

    signature = token[-16:]  # base64url: it may itself hold a "-"
    request_id, _person, until = token[:-17].split("-")
    someone_else = f"{request_id}-{links.base36(org.volunteer_id)}-{until}-{signature}"
    assert (await client.get(f"/s/{someone_else}")).status_code == 404  # the person is signed too
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    refused = await client.post(f"/s/{tampered}/take", headers={"Accept-Language": "sv-SE"})
    assert refused.status_code == 404 and "Länken är inte hel" in refused.text
    assert await conn.fetchval("SELECT count(*) FROM assignments") == 0

    clock.advance(occurrence["starts_at"] - clock.now() + timedelta(seconds=1))
    expired = await client.post(f"/s/{token}/take")
    assert expired.status_code == 410 and "Länken har gått ut" in expired.text
    assert await conn.fetchval("SELECT count(*) FROM assignments") == 0


async def test_coordinators_see_qualifications_running_out(client, conn, clock, org):
    from datetime import date

    licence = await conn.fetchval(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Police certificate') RETURNING id",
        org.id,
    )
    for person, until in ((org.volunteer_id, date(2026, 3, 20)), (org.coordinator_id, date(2026, 4, 20))):
        await conn.execute(
            "INSERT INTO person_qualifications (person_id, qualification_type_id, valid_until) VALUES ($1, $2, $3)",
            person,
            licence,
            until,
        )
    url = f"/organisations/{org.id}/qualifications/expiring"
    soon = (await client.get(url, headers=org.auth())).json()
    assert [(q["person_id"], q["valid_until"]) for q in soon] == [(org.volunteer_id, "2026-03-20")]
    later = (await client.get(url, headers=org.auth(), params={"days": 60})).json()
    assert [q["person_id"] for q in later] == [org.volunteer_id, org.coordinator_id]
    assert (await client.get(url, headers=org.auth("volunteer"))).status_code == 403
    assert (await client.get(url, headers=org.auth(), params={"days": 7})).status_code == 422
    # Renewed: no longer running out.
    await conn.execute(
        "INSERT INTO person_qualifications (person_id, qualification_type_id, valid_until) VALUES ($1, $2, '2029-01-01')",
        org.volunteer_id,
        licence,
    )
    assert (await client.get(url, headers=org.auth())).json() == []

    await sign_in(client, org.coordinator_token)
    page = await client.get("/board/qualifications", params={"days": 60})
    assert page.status_code == 200
    assert f"Coordinator of {org.slug}</strong>: Police certificate gäller till 20 april 2026" in page.text


async def test_the_candidates_page_assigns_directly_as_well_as_asking(client, conn, clock, org):
    occurrence, role_id = await short_pickup(client, conn, org)
    anna = await add_member(conn, clock, org, "Anna", phone=fictional_phone())
    await sign_in(client, org.coordinator_token)
    page = await client.get(f"/board/occurrences/{occurrence['id']}/roles/{role_id}")
    assert 'aria-label="Lägg till: Anna"' in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    assigned = await client.post(
        f"/board/occurrences/{occurrence['id']}/assign",
        data={"csrf": csrf, "role_id": role_id, "person_id": anna},
        follow_redirects=False,
    )
    assert assigned.status_code == 303 and assigned.headers["location"].endswith("?saved=assigned#roles")
    told = await conn.fetchval(
        "SELECT body FROM outbox WHERE person_id = $1 AND kind = 'change_notice'", anna
    )
    assert told.startswith("Du har fått ett pass")
