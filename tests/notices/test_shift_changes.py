"""One rule for what happens to a shift: whoever makes the change (a page, the API, auto-fill) and
however far ahead, the people on it are told it was given to them, taken from them, moved,
cancelled (with the coordinator's reason) or restored; quiet hours are kept, and a notice not yet
sent that the next one undoes is never sent."""

from datetime import UTC, datetime

import pytest

from tests.support.scheduling import occurrences_of, plan, sign_up

# Monday 2 March 2026, 10:00 in Stockholm; the pickup is on Tuesdays and Fridays at 10:00.
pytestmark = pytest.mark.now("2026-03-02T09:00")


async def told(conn) -> list[tuple[str, str, str]]:
    """Each change notice: its change, its state, how the text begins."""
    rows = await conn.fetch("SELECT key, status, body FROM outbox WHERE kind = 'change_notice' ORDER BY id")
    return [(r["key"].split(":")[2], r["status"], r["body"][:40]) for r in rows]


async def far_ahead(client, conn, org):
    """The pickup three weeks from now: beyond any 48-hour window."""
    activity = await plan(client, org)
    occurrence = (await occurrences_of(conn, activity["id"]))[6]
    assert occurrence["starts_at"] > datetime(2026, 3, 20, tzinfo=UTC)
    return activity, occurrence


async def test_a_coordinator_assigning_her_tells_her_and_removing_her_too(client, conn, org):
    activity, occurrence = await far_ahead(client, conn, org)
    assigned = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": activity["roles"][0]["id"], "person_id": org.volunteer_id},
    )
    assert assigned.status_code == 201, assigned.text
    await conn.execute("UPDATE outbox SET status = 'sent' WHERE kind = 'change_notice'")  # she has it
    removed = await client.delete(
        f"/organisations/{org.id}/assignments/{assigned.json()['id']}", headers=org.auth()
    )
    assert removed.status_code == 200
    assert await told(conn) == [
        ("assigned", "sent", "Du har fått ett pass: Bread from the bak"),
        ("removed", "pending", "Du är inte längre med på Bread from the "),
    ]


async def test_assigned_and_removed_before_the_text_went_tells_her_nothing(client, conn, org):
    activity, occurrence = await far_ahead(client, conn, org)
    assigned = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": activity["roles"][0]["id"], "person_id": org.volunteer_id},
    )
    await client.delete(f"/organisations/{org.id}/assignments/{assigned.json()['id']}", headers=org.auth())
    assert [status for _change, status, _body in await told(conn)] == ["cancelled"]


async def test_her_own_sign_up_is_not_told_back_to_her(client, conn, org):
    activity, occurrence = await far_ahead(client, conn, org)
    await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])
    assert await told(conn) == []


async def test_moving_cancelling_and_restoring_weeks_ahead_each_tell_her(client, conn, org):
    activity, occurrence = await far_ahead(client, conn, org)
    await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])
    url = f"/organisations/{org.id}/occurrences/{occurrence['id']}"
    moved = await client.patch(url, headers=org.auth(), json={"start_local": "2026-03-24T14:00:00"})
    assert moved.status_code == 200
    assert await told(conn) == [("moved", "pending", "Ändrat: Bread from the bakery är nu tis ")]
    await conn.execute("UPDATE outbox SET status = 'sent' WHERE kind = 'change_notice'")
    cancelled = await client.patch(
        url, headers=org.auth(), json={"status": "cancelled", "reason": "the bakery is closed"}
    )
    assert cancelled.status_code == 200
    body = await conn.fetchval("SELECT body FROM outbox WHERE key LIKE 'change:%:cancelled:%'")
    assert body.startswith("Inställt: Bread from the bakery") and "the bakery is closed" in body
    await conn.execute("UPDATE outbox SET status = 'sent' WHERE kind = 'change_notice'")
    restored = await client.patch(url, headers=org.auth(), json={"status": "scheduled"})
    assert restored.status_code == 200
    assert (await told(conn))[-1][:2] == ("restored", "pending")
    # A reason goes with a cancellation only.
    odd = await client.patch(url, headers=org.auth(), json={"reason": "why not"})
    assert odd.status_code == 422 and odd.json()["type"].endswith("reason-without-cancelling")


@pytest.mark.now("2026-03-02T21:30")  # 22:30 in Stockholm
async def test_a_change_made_late_in_the_evening_waits_for_the_morning(client, conn, org):
    activity, occurrence = await far_ahead(client, conn, org)
    await sign_up(client, org, occurrence["id"], activity["roles"][0]["id"])
    await client.patch(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}",
        headers=org.auth(),
        json={"status": "cancelled"},
    )
    due = await conn.fetchval("SELECT due_at FROM outbox WHERE kind = 'change_notice'")
    assert due == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 the next morning
