"""The plan and an occurrence's page: the week with names, and assigning, removing, moving,
cancelling, restoring and attendance from forms, each through the same rule as the API."""

import re
from datetime import timedelta

import pytest

from tests.support.factories import add_member
from tests.support.scheduling import driving_licence, occurrences_of, plan

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
FORM_KEY = re.compile(r'name="form_key" value="([^"]+)"')


async def signed_in(client, org) -> None:
    """The browser signed in to `org`'s board; signed in elsewhere, it is asked first and says yes."""
    signed = await client.get(
        "/board/sign-in", params={"token": org.coordinator_token}, follow_redirects=False
    )
    if signed.status_code == 200 and 'action="/board/sign-in/switch"' in signed.text:
        switch = re.search(r'name="switch" value="([^"]+)"', signed.text)[1]
        signed = await client.post(
            "/board/sign-in/switch",
            data={"csrf": CSRF.search(signed.text)[1], "switch": switch},
            follow_redirects=False,
        )
    assert signed.status_code == 303


async def form_token(client, path: str) -> str:
    page = await client.get(path)
    assert page.status_code == 200, page.text
    return CSRF.search(page.text)[1]


async def test_the_week_shows_each_occurrence_its_roles_and_who_is_on_them(client, conn, clock, org):
    helper = await add_member(conn, clock, org, "Hanna Prov")
    activity = await plan(client, org)  # Tuesdays and Fridays at 10:00
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    role_id = activity["roles"][0]["id"]
    taken = await client.post(
        f"/organisations/{org.id}/occurrences/{tuesday['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role_id, "person_id": helper},
    )
    assert taken.status_code == 201, taken.text
    await signed_in(client, org)
    week = await client.get("/board/plan", params={"week": "2026-03-04"})  # any day: its Monday's week
    assert week.status_code == 200
    assert "Planen: vecka 10" in week.text
    cards = re.findall(r'<article class="card[^"]*" data-occurrence="(\d+)" data-state="(\w+)"', week.text)
    assert cards == [(str(tuesday["id"]), "ok"), (str(friday["id"]), "short")]
    assert "driver: 1 av 2 — Hanna Prov" in week.text and "driver: 0 av 2 — ingen än" in week.text
    assert "week=2026-03-09" in week.text and "week=2026-02-23" in week.text  # next and previous
    other_kind = await client.get("/board/plan", params={"week": "2026-03-02", "kind": "outing"})
    assert "Inget planerat den här veckan." in other_kind.text
    assert (await client.get("/board/plan", params={"week": "not-a-date"})).status_code == 422


async def test_assign_and_remove_on_the_page_follow_the_sign_up_rules(client, conn, clock, org):
    helper = await add_member(conn, clock, org, "Hanna Prov")
    unlicensed = await add_member(conn, clock, org, "Ulla Utan")
    licence = await driving_licence(conn, org, helper)
    activity = await plan(
        client,
        org,
        roles=[{"name": "driver", "min_people": 1, "max_people": 2, "qualification_type_ids": [licence]}],
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    role_id = activity["roles"][0]["id"]
    await signed_in(client, org)
    page = f"/board/occurrences/{occurrence['id']}"
    csrf = await form_token(client, page)

    before = await client.get(page)
    # The "who" list puts the qualified first, the others after with what stands in the way, and
    # chooses nobody for her.
    who = before.text[before.text.index('<select id="person-') :]
    who = who[: who.index("</select>")]
    assert who.index("Hanna Prov") < who.index("Ulla Utan · saknar behörighet")
    assert '<option value="">Välj någon</option>' in who and "selected" not in who
    added = await client.post(
        f"{page}/assign", data={"csrf": csrf, "role_id": role_id, "person_id": helper}, follow_redirects=False
    )
    assert added.status_code == 303 and added.headers["location"] == f"{page}?saved=assigned#roles"
    shown = await client.get(added.headers["location"])
    assert "driver: 1 av 2" in shown.text and "Hanna Prov" in shown.text
    assert "Sparat: hon är med på datumet." in shown.text

    # The same refusal reaches the page and the API: the sign-up rule lives in one place. The
    # page shows the date again, with whom and why beside the role.
    refused = await client.post(
        f"{page}/assign", data={"csrf": csrf, "role_id": role_id, "person_id": unlicensed}
    )
    assert refused.status_code == 422
    assert "Ulla Utan: Ingen giltig Driving licence den dagen." in refused.text
    assert "board-menu" in refused.text and "driver: 1 av 2" in refused.text  # the page, not a dead end
    api = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": role_id, "person_id": unlicensed},
    )
    assert api.status_code == 422 and api.json()["type"].endswith("qualification-missing")
    assert await conn.fetchval("SELECT count(*) FROM assignments WHERE person_id = $1", unlicensed) == 0

    assignment = await conn.fetchval("SELECT id FROM assignments WHERE person_id = $1", helper)
    removed = await client.post(
        f"{page}/assignments/{assignment}/remove", data={"csrf": csrf}, follow_redirects=False
    )
    assert removed.status_code == 303
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", assignment) == "removed"
    old_form = await client.post(
        f"{page}/assign", data={"csrf": "forged", "role_id": role_id, "person_id": helper}
    )
    assert (
        old_form.status_code == 403
        and await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE person_id = $1 AND status = 'active'", helper
        )
        == 0
    )


async def test_move_cancel_and_restore_one_date(client, conn, clock, org):
    activity = await plan(client, org)
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    await signed_in(client, org)
    page = f"/board/occurrences/{occurrence['id']}"
    csrf = await form_token(client, page)
    moved = await client.post(
        f"{page}/move",
        data={"csrf": csrf, "start_local": "2026-03-03T13:30", "duration_minutes": "90"},
        follow_redirects=False,
    )
    assert moved.status_code == 303
    row = await conn.fetchrow("SELECT starts_at, ends_at FROM occurrences WHERE id = $1", occurrence["id"])
    assert row["starts_at"].isoformat() == "2026-03-03T12:30:00+00:00"  # 13:30 in Stockholm
    assert row["ends_at"] - row["starts_at"] == timedelta(minutes=90)
    bad = await client.post(
        f"{page}/move", data={"csrf": csrf, "start_local": "soon", "duration_minutes": "90"}
    )
    assert bad.status_code == 422 and "Något i formuläret saknas eller är fel." in bad.text
    assert 'aria-describedby="start_local-error"' in bad.text and '<details class="card" open>' in bad.text
    gap = await client.post(  # 02:30 on 29 March does not exist in Stockholm
        f"{page}/move", data={"csrf": csrf, "start_local": "2026-03-29T02:30", "duration_minutes": "90"}
    )
    assert gap.status_code == 422 and "klockan ställs fram" in gap.text.lower()
    assert (
        await conn.fetchval("SELECT starts_at FROM occurrences WHERE id = $1", occurrence["id"])
        == row["starts_at"]
    )
    place = await conn.fetchval(
        "INSERT INTO places (organisation_id, name) VALUES ($1, 'Kyrksalen') RETURNING id", org.id
    )
    await client.post(
        f"{page}/move",
        data={
            "csrf": csrf,
            "start_local": "2026-03-03T13:30",
            "duration_minutes": "90",
            "place_id": str(place),
        },
    )
    assert await conn.fetchval("SELECT place_id FROM occurrences WHERE id = $1", occurrence["id"]) == place
    before = (await client.get(page)).text
    assert "0 personer på datumet får ett sms." in before and "Ja, ställ in datumet" in before
    await client.post(f"{page}/cancel", data={"csrf": csrf, "reason": "bageriet har stängt"})
    assert (
        await conn.fetchval("SELECT status FROM occurrences WHERE id = $1", occurrence["id"]) == "cancelled"
    )
    assert "Återställ det här datumet" in (await client.get(page)).text
    await client.post(f"{page}/restore", data={"csrf": csrf})
    assert (
        await conn.fetchval("SELECT status FROM occurrences WHERE id = $1", occurrence["id"]) == "scheduled"
    )


async def test_attendance_for_everyone_in_one_form_once_it_began(client, conn, clock, org):
    first = await add_member(conn, clock, org, "Anna Prov")
    second = await add_member(conn, clock, org, "Berit Prov")
    activity = await plan(client, org)
    occurrence = (await occurrences_of(conn, activity["id"]))[0]  # Tuesday 3 March, 10:00
    role_id = activity["roles"][0]["id"]
    for person in (first, second):
        await client.post(
            f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
            headers=org.auth(),
            json={"role_id": role_id, "person_id": person},
        )
    await signed_in(client, org)
    page = f"/board/occurrences/{occurrence['id']}"
    assert 'id="attendance"' not in (await client.get(page)).text  # not before it begins
    clock.advance(timedelta(days=1, hours=1))  # Tuesday 11:00
    await signed_in(client, org)  # a day idle ended her session: she signs in again
    csrf = await form_token(client, page)
    ids = dict(
        await conn.fetch("SELECT person_id, id FROM assignments WHERE occurrence_id = $1", occurrence["id"])
    )
    saved = await client.post(
        f"{page}/attendance",
        data={"csrf": csrf, f"attendance-{ids[first]}": "attended", f"attendance-{ids[second]}": "no_show"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    marks = dict(
        await conn.fetch(
            "SELECT person_id, attendance FROM assignments WHERE occurrence_id = $1", occurrence["id"]
        )
    )
    assert marks == {first: "attended", second: "no_show"}
    wrong = await client.post(f"{page}/attendance", data={"csrf": csrf, f"attendance-{ids[first]}": "maybe"})
    assert wrong.status_code == 422
    assert await conn.fetchval("SELECT attendance FROM assignments WHERE id = $1", ids[first]) == "attended"


async def test_another_organisations_occurrence_is_not_found(client, conn, clock, org, other_org):
    theirs = (await occurrences_of(conn, (await plan(client, other_org))["id"]))[0]
    await signed_in(client, org)
    page = await client.get(f"/board/occurrences/{theirs['id']}")
    assert page.status_code == 404 and "Hittades inte" in page.text and "Bread" not in page.text


async def test_the_language_switcher_keeps_the_page_and_the_choice(client, conn, org):
    await signed_in(client, org)
    key = FORM_KEY.search((await client.get("/board")).text)[1]
    forged = await client.post("/language", data={"to": "cs", "back": "/board"}, follow_redirects=False)
    assert forged.status_code == 403  # without this browser's form key (another site's form)
    chosen = await client.post(
        "/language",
        data={"to": "cs", "back": "/board/plan?week=2026-03-02", "form_key": key},
        follow_redirects=False,
    )
    assert chosen.status_code == 303 and chosen.headers["location"] == "/board/plan?week=2026-03-02"
    assert "Plán: týden 10" in (await client.get("/board/plan", params={"week": "2026-03-02"})).text
    elsewhere = await client.post(
        "/language", data={"to": "nb", "back": "//evil.example/", "form_key": key}, follow_redirects=False
    )
    assert elsewhere.headers["location"] == "/board"  # never away from the service
    assert "Planen: uke 10" in (await client.get("/board/plan", params={"week": "2026-03-02"})).text


async def test_applying_auto_fill_with_nothing_ticked_changes_nothing(client, conn, org):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/autofill")
    applied = await client.post("/board/autofill/apply", data={"csrf": csrf})
    assert applied.status_code == 200 and await conn.fetchval("SELECT count(*) FROM assignments") == 0


async def test_the_month_as_a_list(client, conn, clock, org):
    activity = await plan(client, org)  # Tuesdays and Fridays from 3 March
    await signed_in(client, org)
    month = await client.get("/board/plan/month", params={"month": "2026-03"})
    assert month.status_code == 200 and "Planen: mars 2026" in month.text
    rows = re.findall(r'<tr data-occurrence="(\d+)">', month.text)
    march = await conn.fetch(
        "SELECT id FROM occurrences WHERE activity_id = $1 AND local_date < '2026-04-01' ORDER BY starts_at",
        activity["id"],
    )
    assert rows == [str(r["id"]) for r in march] and len(rows) == 9  # 3, 6, 10 … 31 March
    assert "saknar folk (0/2)" in month.text and "month=2026-04" in month.text
    assert (await client.get("/board/plan/month", params={"month": "March"})).status_code == 422


async def test_week_49_opens_december_and_pages_answer_head_and_gzip(client, conn, clock, org):
    """Week 49 of 2026 begins on Monday 30 November: its month is December (its Thursday's)."""
    await signed_in(client, org)
    week = await client.get("/board/plan", params={"week": "2026-11-30"})
    assert 'href="/board/plan/month?month=2026-12"' in week.text
    head = await client.head("/board/plan", params={"week": "2026-11-30"})
    assert (
        head.status_code == 200
        and head.content == b""
        and head.headers["content-type"].startswith("text/html")
    )
    zipped = await client.get(
        "/board/plan", params={"week": "2026-11-30"}, headers={"Accept-Encoding": "gzip"}
    )
    assert zipped.headers.get("content-encoding") == "gzip" and "Planen" in zipped.text
    api = await client.get(
        f"/organisations/{org.id}/people", headers=org.auth() | {"Accept-Encoding": "gzip"}
    )
    assert "content-encoding" not in api.headers  # the API's clients get it as it is
