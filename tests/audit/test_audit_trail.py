"""Every change is in the trail, in the transaction of the change: who (or the service), through
what (api, page, sms, link, job), what, and the fields before → after, with numbers masked and a
protected address never copied. A coordinator shown a protected address is in it too. Rows cannot
be changed or deleted; an organisation reads only its own trail, by API and on the board."""

import json
import re
from datetime import timedelta

import asyncpg
import pytest

from services import db
from tests.board.test_plan import signed_in
from tests.bookings.test_bookings import GROUP, LINK, ask, room
from tests.support.factories import add_member, make_partner
from tests.support.scheduling import occurrences_of, plan, protected_place, sign_up
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def entries(conn, **where) -> list[dict]:
    clause = " AND ".join(f"{k} = ${n}" for n, k in enumerate(where, 1)) or "true"
    found = await conn.fetch(f"SELECT * FROM audit_log WHERE {clause} ORDER BY id", *where.values())
    return [dict(r) for r in found]


async def test_a_coordinators_change_is_in_the_trail_with_the_number_masked(client, conn, clock, org):
    changed = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth(),
        json={"phone": "070-174 06 99"},
    )
    assert changed.status_code == 200
    (entry,) = await entries(conn, table_name="people", row_id=org.volunteer_id, action="update")
    assert (entry["actor_person_id"], entry["organisation_id"], entry["via"]) == (
        org.coordinator_id,
        org.id,
        "api",
    )
    assert entry["at"] == clock.now()  # the service's clock, pinned here
    before, after = json.loads(entry["changes"])["phone"]
    assert after == "+4670…99" and before.startswith("+4670…") and "+46701740699" not in entry["changes"]


async def test_a_person_without_a_phone_number_is_in_the_trail_too(client, conn, clock, org):
    racer = await add_member(conn, clock, org, "Utan Nummer")  # no phone
    changed = await client.patch(
        f"/organisations/{org.id}/people/{racer}", headers=org.auth(), json={"display_name": "Med Namn"}
    )
    assert changed.status_code == 200
    (added,) = await entries(conn, table_name="people", row_id=racer, action="insert")
    (entry,) = await entries(conn, table_name="people", row_id=racer, action="update")
    assert json.loads(entry["changes"]) == {"display_name": ["Utan Nummer", "Med Namn"]}
    assert json.loads(added["changes"])["phone"] == [None, None]


async def test_each_way_in_is_named(client, conn, clock, org):
    activity = await plan(client, org)
    tuesday, friday = (await occurrences_of(conn, activity["id"]))[:2]
    role = activity["roles"][0]["id"]
    signed = (await sign_up(client, org, tuesday["id"], role)).json()  # the volunteer, by API
    other = (await sign_up(client, org, friday["id"], role)).json()
    await reply(conn, clock, org.volunteer_phone, f"NEJ {signed['code']}", "SM1")  # by SMS
    await signed_in(client, org)
    page = await client.get(f"/board/occurrences/{friday['id']}")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    await client.post(
        f"/board/occurrences/{friday['id']}/assignments/{other['id']}/remove", data={"csrf": csrf}
    )
    ways = {
        (e["row_id"], e["action"], e["via"], e["actor_person_id"])
        for e in await entries(conn, table_name="assignments")
    }
    assert (signed["id"], "insert", "api", org.volunteer_id) in ways
    assert (signed["id"], "update", "sms", org.volunteer_id) in ways
    assert any(w[0] == other["id"] and w[1:] == ("update", "page", org.coordinator_id) for w in ways), ways
    occurrence_rows = await entries(conn, table_name="occurrences", action="insert")
    assert occurrence_rows and all(e["organisation_id"] == org.id for e in occurrence_rows)


async def test_a_protected_address_is_never_copied_and_showing_it_is_recorded(
    client, conn, clock, org, other_org
):
    place = await protected_place(client, org, "Hemliggatan 7", 55.6)
    (made,) = await entries(conn, table_name="places", action="insert")
    assert "Hemliggatan" not in made["changes"] and "55.6" not in made["changes"]
    await client.get(f"/organisations/{org.id}/places", headers=org.auth())
    (read,) = await entries(conn, table_name="places", action="read")
    assert (read["row_id"], read["actor_person_id"], read["organisation_id"]) == (
        place["id"],
        org.coordinator_id,
        org.id,
    )
    await client.get(f"/organisations/{org.id}/places", headers=org.auth("volunteer"))  # not shown to her
    assert len(await entries(conn, table_name="places", action="read")) == 1
    # Shown again in the same sitting: one line in the trail, not one per page view.
    for _again in range(3):
        await client.get(f"/organisations/{org.id}/places", headers=org.auth())
    assert len(await entries(conn, table_name="places", action="read")) == 1
    clock.advance(timedelta(minutes=31))  # a new sitting
    await client.get(f"/organisations/{org.id}/places", headers=org.auth())
    assert len(await entries(conn, table_name="places", action="read")) == 2


async def test_the_trail_is_append_only(conn, org):
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("UPDATE audit_log SET via = 'cli'")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("DELETE FROM audit_log")
    with pytest.raises(asyncpg.InsufficientPrivilegeError):
        await conn.execute("TRUNCATE audit_log")
    assert await conn.fetchval("SELECT count(*) FROM audit_log") > 0


async def test_coordinators_read_their_own_trail_only(client, conn, clock, org, other_org):
    await plan(client, org)
    mine = await client.get(
        f"/organisations/{org.id}/audit", headers=org.auth(), params={"table": "activities"}
    )
    assert mine.status_code == 200
    (created,) = mine.json()["items"]
    assert created["action"] == "insert" and created["actor_name"] == f"Coordinator of {org.slug}"
    theirs = await client.get(f"/organisations/{other_org.id}/audit", headers=other_org.auth())
    assert all(e["table_name"] != "activities" for e in theirs.json()["items"])
    assert (await client.get(f"/organisations/{org.id}/audit", headers=other_org.auth())).status_code == 404
    assert (
        await client.get(f"/organisations/{org.id}/audit", headers=org.auth("volunteer"))
    ).status_code == 403
    paged = await client.get(f"/organisations/{org.id}/audit", headers=org.auth(), params={"limit": 2})
    after = paged.json()["next_cursor"]
    older = await client.get(
        f"/organisations/{org.id}/audit", headers=org.auth(), params={"limit": 2, "cursor": after}
    )
    first, second = [e["id"] for e in paged.json()["items"]], [e["id"] for e in older.json()["items"]]
    assert first[0] > first[1] > second[0] and not set(first) & set(second)
    await signed_in(client, org)
    board = await client.get("/board/audit", params={"table": "activities"})
    assert board.status_code == 200 and "Bread from the bakery" in board.text
    # In people's words, not table and column names: "Aktivitet 1 · lades till · på en sida".
    assert "Aktivitet" in board.text and "lades till" in board.text
    assert ">activities" not in board.text and "· insert" not in board.text


async def test_the_service_acting_is_named_as_the_service(conn, clock, org):
    await db.act_as(conn, None, org.id, "job", clock.now())
    await conn.execute("UPDATE organisations SET check_in_minutes = 45 WHERE id = $1", org.id)
    (entry,) = await entries(conn, table_name="organisations", action="update")
    assert entry["actor_person_id"] is None and entry["via"] == "job"


async def test_an_answer_through_a_signed_link_names_its_person(client, conn, clock, org):
    partner = await make_partner(conn, clock)
    venue = await room(client, partner, org.id)
    asked = await ask(
        client, org, (await plan(client, org, **GROUP))["id"], venue["id"], to_date="2026-03-18"
    )
    body = await conn.fetchval(
        "SELECT body FROM outbox WHERE key = $1", f"booking-ask:{asked['id']}:{partner.contact_id}"
    )
    token = LINK.search(body)[1]
    first = asked["bookings"][0]["id"]
    await client.post(f"/b/{token}", data={"confirm": str(first)})
    (entry,) = await entries(conn, table_name="bookings", row_id=first, action="update")
    assert (entry["via"], entry["actor_person_id"], entry["organisation_id"]) == (
        "link",
        partner.contact_id,
        org.id,
    )
