"""A week's attendance in one form: every date of the week that has begun and everyone on it; the
plan marks dates whose attendance nobody marked, and the month's report says how many shifts its
hours leave out until someone does."""

from datetime import timedelta

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import add_member
from tests.support.scheduling import occurrences_of, plan

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def a_week_with_two_people_on_each_date(client, conn, clock, org) -> list[int]:
    """Anna and Berit on Tuesday's and Friday's pickups; the clock then stands on Saturday."""
    people = [await add_member(conn, clock, org, name) for name in ("Anna Prov", "Berit Prov")]
    activity = await plan(client, org)
    for occurrence in (await occurrences_of(conn, activity["id"]))[:2]:
        for person in people:
            added = await client.post(
                f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
                headers=org.auth(),
                json={"role_id": activity["roles"][0]["id"], "person_id": person},
            )
            assert added.status_code == 201
    clock.advance(timedelta(days=5))  # Saturday 7 March
    await signed_in(client, org)
    return people


async def test_the_whole_week_is_marked_in_one_form(client, conn, clock, org):
    await a_week_with_two_people_on_each_date(client, conn, clock, org)
    plan_page = (await client.get("/board/plan", params={"week": "2026-03-02"})).text
    assert "Närvaron är inte markerad för 4 personer den här veckan" in plan_page
    assert plan_page.count('class="unmarked"') == 2  # both dates

    report = (await client.get("/board/reports", params={"month": "2026-03"})).text
    assert "4 pass den här månaden har börjat utan markerad närvaro" in report

    form = "/board/attendance?week=2026-03-02"
    page = (await client.get(form)).text
    assert page.count('value="attended"') == 4 and "4 personer är ännu inte markerade." in page
    csrf = await form_token(client, form)
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM assignments ORDER BY id")]
    marks = {f"attendance-{i}": "attended" for i in ids[:3]} | {f"attendance-{ids[3]}": "no_show"}
    saved = await client.post(
        "/board/attendance", data={"csrf": csrf, "week": "2026-03-02", **marks}, follow_redirects=False
    )
    assert saved.status_code == 303 and "saved=4" in saved.headers["location"]
    assert "Sparat: 4 markeringar." in (await client.get(saved.headers["location"])).text
    marked = await conn.fetch("SELECT attendance FROM assignments ORDER BY id")
    assert [m["attendance"] for m in marked] == ["attended", "attended", "attended", "no_show"]
    assert "inte markerad" not in (await client.get("/board/plan", params={"week": "2026-03-02"})).text
    assert (
        "utan markerad närvaro" not in (await client.get("/board/reports", params={"month": "2026-03"})).text
    )


async def test_a_bad_mark_saves_nothing(client, conn, clock, org):
    await a_week_with_two_people_on_each_date(client, conn, clock, org)
    csrf = await form_token(client, "/board/attendance?week=2026-03-02")
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM assignments ORDER BY id")]
    bad = await client.post(
        "/board/attendance",
        data={
            "csrf": csrf,
            "week": "2026-03-02",
            f"attendance-{ids[0]}": "attended",
            f"attendance-{ids[1]}": "maybe",
        },
    )
    assert bad.status_code == 422
    assert await conn.fetchval("SELECT count(*) FROM assignments WHERE attendance IS NOT NULL") == 0


async def test_no_shows_count_on_her_page_and_in_the_ranking(client, conn, clock, org):
    anna, berit = await a_week_with_two_people_on_each_date(client, conn, clock, org)
    ids = {
        r["person_id"]: r["id"] for r in await conn.fetch("SELECT person_id, id FROM assignments ORDER BY id")
    }
    csrf = await form_token(client, "/board/attendance?week=2026-03-02")
    await client.post(
        "/board/attendance",
        data={
            "csrf": csrf,
            "week": "2026-03-02",
            f"attendance-{ids[anna]}": "no_show",
            f"attendance-{ids[berit]}": "attended",
        },
    )
    page = (await client.get(f"/board/people/{anna}")).text
    assert "Kom inte 1 gång det senaste året" in page
    assert "Kom inte" not in (await client.get(f"/board/people/{berit}")).text
    # The next Tuesday: whoever came when she said she would is ranked first.
    later = await conn.fetchval("SELECT id FROM occurrences ORDER BY starts_at OFFSET 2 LIMIT 1")
    role = await conn.fetchval("SELECT id FROM activity_roles LIMIT 1")
    found = await client.get(
        f"/organisations/{org.id}/occurrences/{later}/roles/{role}/candidates", headers=org.auth()
    )
    ranked = [(c["person_id"], c["no_shows_last_90_days"]) for c in found.json()["ranked"]]
    assert ranked.index((berit, 0)) < ranked.index((anna, 1))
