"""Rule 2: everything a person owns is found by her id in her organisation, never by a number or a
name over the whole database. Sara's phone is on record in Malmö and in Oslo: what one organisation
exports, erases or purges of her never reaches the other's rows."""

from datetime import timedelta

import pytest

from services.notices import service as notices
from services.privacy import retention
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def text(conn, clock, person_id: int, organisation_id: int, key: str) -> None:
    await notices.tell(
        conn,
        clock,
        person_id,
        key=key,
        template="cover_declined",
        organisation_id=organisation_id,
        before=clock.now() + timedelta(days=1),
    )


async def test_an_export_has_her_rows_in_this_organisation_only(client, conn, clock, shared_phone):
    s = shared_phone
    await text(conn, clock, s.in_malmo, s.malmo.id, "malmo:1")
    await text(conn, clock, s.in_oslo, s.oslo.id, "oslo:1")
    await reply(conn, clock, s.phone, "Jag kommer sent", "SMoslo1")  # answers Oslo, texted last
    await client.post("/board/sign-in/code", data={"phone": s.phone})  # Malmö's coordinator's code
    export = await client.get(f"/organisations/{s.oslo.id}/people/{s.in_oslo}/export", headers=s.oslo.auth())
    assert export.status_code == 200
    found = export.json()
    assert [t["key"] for t in found["sms_sent"]] == ["oslo:1"]
    assert [r["body"] for r in found["sms_received"]] == ["Jag kommer sent"]
    assert found["sign_in_codes"] == []  # Malmö's coordinator's code is hers there, not Oslo's
    malmo = (
        await client.get(f"/organisations/{s.malmo.id}/people/{s.in_malmo}/export", headers=s.malmo.auth())
    ).json()
    assert [t["key"] for t in malmo["sms_sent"] if not t["key"].startswith("sign-in:")] == ["malmo:1"]
    assert malmo["sms_received"] == [] and len(malmo["sign_in_codes"]) == 1


async def test_erasing_her_in_one_organisation_leaves_the_other_as_it_was(client, conn, clock, shared_phone):
    s = shared_phone
    await text(conn, clock, s.in_malmo, s.malmo.id, "malmo:1")
    await text(conn, clock, s.in_oslo, s.oslo.id, "oslo:1")
    await reply(conn, clock, s.phone, "Tack", "SMoslo1")
    await client.post("/board/sign-in/code", data={"phone": s.phone})
    await client.patch(
        f"/organisations/{s.malmo.id}/people/{s.in_malmo}", headers=s.malmo.auth(), json={"language": "en"}
    )  # a row in Malmö's trail that names her
    malmo_before = [
        tuple(r)
        for r in await conn.fetch(
            "SELECT id, body, to_address, status FROM outbox WHERE organisation_id = $1 ORDER BY id",
            s.malmo.id,
        )
    ]
    trail_before = await conn.fetch(
        "SELECT * FROM audit_log WHERE organisation_id = $1 ORDER BY id", s.malmo.id
    )
    erased = await client.post(
        f"/organisations/{s.oslo.id}/people/{s.in_oslo}/erase", headers=s.oslo.auth(), json={"confirm": True}
    )
    assert erased.status_code == 201, erased.text
    assert await conn.fetchval("SELECT body FROM outbox WHERE key = 'oslo:1'") == "(erased)"
    assert await conn.fetchval("SELECT body FROM sms_replies WHERE sid = 'SMoslo1'") == "(erased)"
    malmo_after = [
        tuple(r)
        for r in await conn.fetch(
            "SELECT id, body, to_address, status FROM outbox WHERE organisation_id = $1 ORDER BY id",
            s.malmo.id,
        )
    ]
    assert malmo_after == malmo_before  # Malmö's texts to the same phone are untouched
    assert await conn.fetchval("SELECT count(*) FROM sign_in_codes WHERE person_id = $1", s.in_malmo) == 1
    trail_after = await conn.fetch(
        "SELECT * FROM audit_log WHERE organisation_id = $1 AND id <= $2 ORDER BY id",
        s.malmo.id,
        trail_before[-1]["id"],
    )
    assert trail_after == trail_before  # and so is Malmö's append-only trail, her name in it too
    assert await conn.fetchval("SELECT display_name FROM people WHERE id = $1", s.in_malmo) == "Sara Delad"


async def test_an_answer_belongs_to_the_conversation_it_answers(conn, clock, shared_phone):
    s = shared_phone
    await text(conn, clock, s.in_malmo, s.malmo.id, "malmo:1")
    await reply(conn, clock, s.phone, "Vem är det?", "SM1")
    await text(conn, clock, s.in_oslo, s.oslo.id, "oslo:1")
    await reply(conn, clock, s.phone, "Jag är sjuk", "SM2")
    found = {
        r["sid"]: (r["person_id"], r["organisation_id"])
        for r in await conn.fetch("SELECT sid, person_id, organisation_id FROM sms_replies")
    }
    assert found == {"SM1": (s.in_malmo, s.malmo.id), "SM2": (s.in_oslo, s.oslo.id)}


async def test_retention_keeps_each_answer_for_its_own_organisations_time(conn, clock, shared_phone):
    s = shared_phone
    await conn.execute("UPDATE organisations SET sms_retention_days = 30 WHERE id = $1", s.malmo.id)
    await conn.execute("UPDATE organisations SET sms_retention_days = 365 WHERE id = $1", s.oslo.id)
    await text(conn, clock, s.in_malmo, s.malmo.id, "malmo:1")
    await reply(conn, clock, s.phone, "Till Malmö", "SM1")
    await text(conn, clock, s.in_oslo, s.oslo.id, "oslo:1")
    await reply(conn, clock, s.phone, "Till Oslo", "SM2")
    clock.advance(timedelta(days=60))
    await retention.apply(conn, clock)
    bodies = dict(await conn.fetch("SELECT sid, body FROM sms_replies"))
    assert bodies == {"SM1": "(purged)", "SM2": "Till Oslo"}
