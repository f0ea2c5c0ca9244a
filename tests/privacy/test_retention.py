"""Retention, run by the worker's job with the pinned clock: texts' bodies and numbers go after the
organisation's days (their state stays), the trail's old rows are deleted, inactive volunteers are
flagged and later anonymised unless kept; a second run does nothing more."""

import re
from datetime import timedelta

import pytest

from services.privacy import retention
from tests.board.test_plan import signed_in
from tests.support.factories import add_member, fictional_phone

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def _text(conn, key: str, phone: str, created_at, status: str = "delivered") -> int:
    return await conn.fetchval(
        "INSERT INTO outbox (key, kind, to_address, body, segments, due_at, status, created_at)"
        " VALUES ($1, 'message', $2, 'Påminnelse: Bröd tis 3/3', 1, $3, $4, $3) RETURNING id",
        key,
        phone,
        created_at,
        status,
    )


async def test_old_texts_and_trail_rows_go_and_a_second_run_does_nothing(conn, clock, org):
    now = clock.now()
    old = await _text(conn, "old", "+46701740671", now - timedelta(days=91))
    waiting = await _text(conn, "waiting", "+46701740671", now - timedelta(days=91), status="pending")
    recent = await _text(conn, "recent", "+46701740671", now - timedelta(days=10))
    await conn.execute(
        "INSERT INTO sms_replies (sid, from_phone, body, understood, received_at) VALUES"
        " ('SMold', '+46701740671', 'NEJ 4821', 'no', $1), ('SMnew', '+46701740671', 'JA', 'yes', $2)",
        now - timedelta(days=91),
        now - timedelta(days=1),
    )
    await conn.execute(
        "INSERT INTO audit_log (at, organisation_id, via, table_name, row_id, action) VALUES"
        " ($1, $3, 'api', 'people', 1, 'update'), ($2, $3, 'api', 'people', 1, 'update')",
        now - timedelta(days=731),
        now - timedelta(days=1),
        org.id,
    )
    kept = await retention.apply(conn, clock)
    assert (kept.texts_purged, kept.replies_purged, kept.trail_deleted) == (1, 1, 1)
    rows = {r["id"]: r for r in await conn.fetch("SELECT id, body, to_address, status FROM outbox")}
    assert (
        rows[old]["body"] == "(purged)"
        and rows[old]["status"] == "delivered"
        and "74067" not in rows[old]["to_address"]
    )
    assert rows[waiting]["body"] != "(purged)" and rows[recent]["body"] != "(purged)"
    assert await conn.fetchval("SELECT count(*) FROM sms_replies WHERE body = '(purged)'") == 1
    assert await conn.fetchval("SELECT count(*) FROM audit_log WHERE at < $1", now - timedelta(days=730)) == 0
    again = await retention.apply(conn, clock)
    assert (again.texts_purged, again.replies_purged, again.trail_deleted, again.anonymised) == (0, 0, 0, 0)


async def test_inactive_volunteers_are_flagged_then_anonymised_unless_kept(client, conn, clock, org):
    now = clock.now()
    flagged = await add_member(conn, clock, org, "Ines Inaktiv", phone=fictional_phone())
    gone = await add_member(conn, clock, org, "Gunnar Gammal", phone=fictional_phone())
    kept = await add_member(conn, clock, org, "Kim Kvar", phone=fictional_phone())
    for person, months in ((flagged, 13), (gone, 16), (kept, 16)):
        await conn.execute(
            "UPDATE people SET created_at = $2 WHERE id = $1", person, now - timedelta(days=31 * months)
        )
    listed = await client.get(f"/organisations/{org.id}/inactive-volunteers", headers=org.auth())
    assert {p["display_name"] for p in listed.json()} == {"Ines Inaktiv", "Gunnar Gammal", "Kim Kvar"}
    keep = await client.put(
        f"/organisations/{org.id}/people/{kept}/keep", headers=org.auth(), json={"keep": True}
    )
    assert keep.status_code == 204
    done = await retention.apply(conn, clock)
    assert done.anonymised == 1
    names = dict(
        await conn.fetch("SELECT id, display_name FROM people WHERE id = ANY($1)", [flagged, gone, kept])
    )
    assert names == {flagged: "Ines Inaktiv", gone: f"Former volunteer {gone}", kept: "Kim Kvar"}
    assert (await retention.apply(conn, clock)).anonymised == 0
    await signed_in(client, org)
    page = await client.get("/board/people")
    assert f'data-inactive="{flagged}"' in page.text and "anonymiseras" in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    await client.post(f"/board/people/{flagged}/keep", data={"csrf": csrf, "keep": "true"})
    assert await conn.fetchval("SELECT keep_while_inactive FROM people WHERE id = $1", flagged)


async def test_codes_and_number_proofs_are_kept_a_day(client, conn, clock, org):
    await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth("volunteer"),
        json={"phone": "070-174 06 97"},
    )
    await client.post("/board/sign-in/code", data={"phone": "070-174 06 98"})  # a number nobody has
    assert (
        await conn.fetchval(
            "SELECT (SELECT count(*) FROM sign_in_codes) + (SELECT count(*) FROM phone_proofs)"
        )
        == 2
    )
    assert (await retention.apply(conn, clock)).codes_deleted == 0  # still needed today
    clock.advance(timedelta(days=1, minutes=1))
    assert (await retention.apply(conn, clock)).codes_deleted == 2
    assert await conn.fetchval("SELECT count(*) FROM sign_in_codes") == 0
