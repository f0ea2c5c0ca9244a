"""Reminders and change notices are outbox rows written with the change that causes them."""

from datetime import UTC, datetime, timedelta

import pytest

from services.notices import reminders, timing
from tests.support.scheduling import occurrences_of, plan, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def outbox(conn):
    return [
        dict(r)
        for r in await conn.fetch(
            "SELECT key, kind, status, due_at, body, to_address FROM outbox ORDER BY id"
        )
    ]


async def test_sign_up_plans_reminders_and_withdrawal_cancels_them(client, conn, clock, org):
    activity = await plan(client, org)  # Tue/Fri 10:00 Stockholm; clock: Mon 2 March 10:00 local
    first = (await occurrences_of(conn, activity["id"]))[0]
    signed = (await sign_up(client, org, first["id"], activity["roles"][0]["id"])).json()
    rows = sorted(await outbox(conn), key=lambda r: r["due_at"])
    assert [(r["kind"], r["status"], r["due_at"]) for r in rows] == [
        ("reminder", "pending", datetime(2026, 3, 2, 9, 0, tzinfo=UTC)),  # 24 h before
        ("reminder", "pending", datetime(2026, 3, 3, 7, 0, tzinfo=UTC)),  # 2 h before: 08:00 local
    ]
    assert rows[0]["to_address"] == org.volunteer_phone
    assert rows[0]["body"].startswith("Påminnelse: Bread from the bakery tis 3/3 kl 10:00")
    assert await reminders.plan_for_assignment(conn, clock, signed["id"]) == 0  # planning twice: nothing new
    assert len(await outbox(conn)) == 2
    await client.delete(f"/organisations/{org.id}/assignments/{signed['id']}", headers=org.auth("volunteer"))
    after = await outbox(conn)
    assert {r["status"] for r in after if r["kind"] == "reminder"} == {"cancelled"}
    # A day ahead: the coordinator on duty hears of it (tests/board/test_left.py).
    assert [r["key"].split(":")[0] for r in after if r["kind"] != "reminder"] == ["left"]


async def test_move_replans_and_tells_within_48_hours(client, conn, org):
    activity = await plan(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, first["id"], activity["roles"][0]["id"])
    moved = await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-03T14:00:00"},
    )
    assert moved.status_code == 200
    rows = await outbox(conn)
    assert [r["status"] for r in rows if r["kind"] == "reminder"] == [
        "cancelled",
        "cancelled",
        "pending",
        "pending",
    ]
    notice = [r for r in rows if r["kind"] == "change_notice"]
    assert len(notice) == 1 and notice[0]["body"].startswith(
        "Ändrat: Bread from the bakery är nu tis 3/3 kl 14:00"
    )
    cancelled = await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}", headers=org.auth(), json={"status": "cancelled"}
    )
    assert cancelled.status_code == 200
    rows = await outbox(conn)
    assert [r for r in rows if r["kind"] == "reminder" and r["status"] == "pending"] == []
    assert rows[-1]["kind"] == "change_notice" and rows[-1]["body"].startswith(
        "Inställt: Bread from the bakery"
    )


async def test_no_texts_without_consent_or_after_opt_out(client, conn, org):
    await conn.execute("UPDATE people SET sms_consent = false WHERE id = $1", org.volunteer_id)
    activity = await plan(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, first["id"], activity["roles"][0]["id"])
    assert await outbox(conn) == []


def test_quiet_hours():
    zone = "Europe/Stockholm"
    # 24 h before a 22:00 outreach would be 22:00 the evening before: wait for 08:00 instead.
    start = datetime(2026, 3, 5, 21, 0, tzinfo=UTC)
    assert timing.outside_quiet_hours(start - timedelta(hours=24), start, zone) == datetime(
        2026, 3, 5, 7, 0, tzinfo=UTC
    )
    # 2 h before a 07:00 shift is 05:00: the shift starts before the morning window, so send then.
    early = datetime(2026, 3, 5, 6, 0, tzinfo=UTC)
    assert timing.outside_quiet_hours(early - timedelta(hours=2), early, zone) == early - timedelta(hours=2)
    noon = datetime(2026, 3, 5, 11, 0, tzinfo=UTC)
    assert timing.outside_quiet_hours(noon, noon + timedelta(hours=2), zone) == noon


async def test_persons_own_offsets(client, conn, org):
    await conn.execute("UPDATE people SET reminder_offsets_minutes = '{60}' WHERE id = $1", org.volunteer_id)
    activity = await plan(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, first["id"], activity["roles"][0]["id"])
    assert [r["key"].split(":")[2] for r in await outbox(conn)] == ["60"]


async def test_a_person_chooses_their_own_reminder_times(client, conn, org):
    activity = await plan(client, org)
    first = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, first["id"], activity["roles"][0]["id"])
    url = f"/organisations/{org.id}/people/{org.volunteer_id}"
    changed = await client.patch(url, headers=org.auth("volunteer"), json={"reminder_offsets_minutes": [180]})
    assert changed.status_code == 200 and changed.json()["reminder_offsets_minutes"] == [180]
    pending = [r["key"].split(":")[2] for r in await outbox(conn) if r["status"] == "pending"]
    assert pending == ["180"]
    none = await client.patch(url, headers=org.auth("volunteer"), json={"reminder_offsets_minutes": []})
    assert none.json()["reminder_offsets_minutes"] == []
    assert [r for r in await outbox(conn) if r["status"] == "pending"] == []
    bad = await client.patch(url, headers=org.auth("volunteer"), json={"reminder_offsets_minutes": [0]})
    assert bad.status_code == 400
