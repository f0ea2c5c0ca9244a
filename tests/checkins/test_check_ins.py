"""Outreach pairs check in when a visit ends: one "reply OK when you are safe" each (at night too);
an OK from either and nothing more happens; nobody answers and the on-duty coordinator gets exactly
one alert with first names and numbers, thirty minutes later every coordinator does, and an OK after
that tells them all is fine. A worker killed before the deadline does not lose the alert: the next
one sends it, once, even with two running."""

import asyncio
import os
import signal
import subprocess
import time
from datetime import timedelta

import pytest

from services.checkins import service as checkins
from tests.support.factories import add_member, fictional_phone
from tests.support.processes import VOLOPS
from tests.support.scheduling import occurrences_of, plan
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T18:00")  # a Monday evening in Stockholm (17:00 UTC)


async def visit(client, conn, clock, org, title: str = "Street outreach") -> tuple[dict, list[int]]:
    """Tonight 19:00-21:30 (Stockholm), two volunteers on it: the occurrence and the pair's ids."""
    activity = await plan(
        client,
        org,
        kind="outreach_visit",
        title=title,
        rrule=None,
        start_local="2026-03-02T19:00:00",
        duration_minutes=150,
        roles=[{"name": "outreach worker", "min_people": 2, "max_people": 2}],
    )
    night = (await occurrences_of(conn, activity["id"]))[0]
    partner = await add_member(conn, clock, org, f"Sara {title}", phone=fictional_phone())
    for person in (org.volunteer_id, partner):
        made = await client.post(
            f"/organisations/{org.id}/occurrences/{night['id']}/assignments",
            headers=org.auth(),
            json={"role_id": activity["roles"][0]["id"], "person_id": person},
        )
        assert made.status_code == 201, made.text
    return dict(night), [org.volunteer_id, partner]


async def second_coordinator(conn, clock, org) -> int:
    other = await add_member(conn, clock, org, "Greta Samordnare", phone=fictional_phone())
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'coordinator')",
        org.id,
        other,
    )
    return other


async def texts(conn, key: str) -> list:
    return await conn.fetch("SELECT person_id, body, due_at FROM outbox WHERE key LIKE $1 ORDER BY id", key)


async def test_the_pair_is_asked_at_night_and_one_ok_is_enough(client, conn, clock, org):
    night, pair = await visit(client, conn, clock, org)
    clock.advance(timedelta(hours=3, minutes=31))  # 21:31, in the quiet hours
    assert await checkins.ask_ended_visits(conn, clock) == 2
    assert await checkins.ask_ended_visits(conn, clock) == 0  # a second run asks nobody again
    asked = await texts(conn, "check-in:%")
    assert sorted(r["person_id"] for r in asked) == sorted(pair)
    assert all(r["due_at"] <= clock.now() and "Svara OK" in r["body"] for r in asked)  # not held back
    code = await conn.fetchval(
        "SELECT code FROM assignments WHERE occurrence_id = $1 AND person_id = $2",
        night["id"],
        org.volunteer_id,
    )
    answer = await reply(conn, clock, org.volunteer_phone, f"ok {code}", "SM1")
    assert "säkerhet" in answer
    clock.advance(timedelta(hours=2))
    assert await checkins.alert_unanswered(conn, clock) == 0
    assert await texts(conn, "check-in-alert:%") == []
    assert (await checkins.states(conn, [night["id"]])) == {night["id"]: "safe"}


async def test_nobody_answers_one_alert_to_the_on_duty_then_all_then_all_is_fine(client, conn, clock, org):
    night, pair = await visit(client, conn, clock, org)
    greta = await second_coordinator(conn, clock, org)
    on_duty = await client.put(
        f"/organisations/{org.id}/people/{org.coordinator_id}/on-duty",
        headers=org.auth(),
        json={"on_duty": True},
    )
    assert on_duty.status_code == 204
    volunteer = await client.put(
        f"/organisations/{org.id}/people/{pair[1]}/on-duty", headers=org.auth(), json={"on_duty": True}
    )
    assert volunteer.status_code == 422  # only a coordinator can be on duty
    clock.advance(timedelta(hours=3, minutes=31))
    await checkins.ask_ended_visits(conn, clock)
    clock.advance(timedelta(minutes=20))  # 21:51: within the 30-minute window
    assert await checkins.alert_unanswered(conn, clock) == 0
    clock.advance(timedelta(minutes=10))  # 22:01
    assert await checkins.alert_unanswered(conn, clock) == 1
    assert await checkins.alert_unanswered(conn, clock) == 0  # once
    (first,) = await texts(conn, "check-in-alert:%:1:%")
    phones = await conn.fetch("SELECT phone FROM people WHERE id = ANY($1)", pair)
    assert first["person_id"] == org.coordinator_id and "Street outreach" in first["body"]
    assert all(p["phone"] in first["body"] for p in phones) and "Sara" in first["body"]
    assert await checkins.states(conn, [night["id"]]) == {night["id"]: "alerted"}
    clock.advance(timedelta(minutes=30))  # still nothing: every coordinator
    assert await checkins.alert_unanswered(conn, clock) == 2
    everyone = await texts(conn, "check-in-alert:%:2:%")
    assert sorted(r["person_id"] for r in everyone) == sorted([org.coordinator_id, greta])
    await reply(conn, clock, org.volunteer_phone, "OK", "SM2")
    fine = await texts(conn, "check-in-fine:%")
    assert sorted(r["person_id"] for r in fine) == sorted([org.coordinator_id, greta])
    assert all("Allt väl" in r["body"] for r in fine)
    assert await checkins.states(conn, [night["id"]]) == {night["id"]: "safe"}


async def test_no_text_names_the_place(client, conn, clock, org):
    await visit(client, conn, clock, org)
    clock.advance(timedelta(hours=5))
    await checkins.ask_ended_visits(conn, clock)
    clock.advance(timedelta(hours=1))
    await checkins.alert_unanswered(conn, clock)
    bodies = [r["body"] for r in await texts(conn, "check-in%")]
    assert bodies and not any("gatan" in b.lower() for b in bodies)


async def _alerts(conn, occurrence_id: int) -> tuple[int, int]:
    rows = await conn.fetchval("SELECT count(*) FROM check_in_alerts WHERE occurrence_id = $1", occurrence_id)
    outbox = await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE key LIKE $1", f"check-in-alert:{occurrence_id}:%"
    )
    return rows, outbox


async def test_a_worker_killed_before_the_deadline_loses_no_alert(client, conn, clock, org, sms_stack):
    night, _pair = await visit(client, conn, clock, org)
    clock.advance(timedelta(hours=3, minutes=31))
    await checkins.ask_ended_visits(conn, clock)
    deadline = night["ends_at"] + timedelta(minutes=30)

    def worker(at) -> subprocess.Popen:
        clock.advance(at - clock.now())
        return subprocess.Popen(
            [*VOLOPS, "worker"], env=sms_stack.env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    doomed = worker(deadline - timedelta(seconds=20))
    await asyncio.sleep(3)
    os.kill(doomed.pid, signal.SIGKILL)  # gone before the deadline
    doomed.wait()
    assert await _alerts(conn, night["id"]) == (0, 0)
    later = [worker(deadline + timedelta(minutes=1)), worker(deadline + timedelta(minutes=1))]
    try:
        started = time.monotonic()
        while await _alerts(conn, night["id"]) == (0, 0) and time.monotonic() - started < 60:
            await asyncio.sleep(0.5)
        await asyncio.sleep(12)  # both workers have run the job again by now
    finally:
        for process in later:
            process.terminate()
        for process in later:
            process.wait(20)
    assert await _alerts(conn, night["id"]) == (
        1,
        1,
    )  # one alert, one text to the on-duty (here: the only) coordinator


async def test_an_activity_can_wait_longer_before_the_alert(client, conn, clock, org):
    night, _pair = await visit(client, conn, clock, org)
    activity_id = await conn.fetchval("SELECT activity_id FROM occurrences WHERE id = $1", night["id"])
    window = await client.put(
        f"/organisations/{org.id}/activities/{activity_id}/check-in-window",
        headers=org.auth(),
        json={"minutes": 60},
    )
    assert window.status_code == 204
    too_short = await client.put(
        f"/organisations/{org.id}/check-in-window", headers=org.auth(), json={"minutes": 1}
    )
    assert too_short.status_code == 400
    clock.advance(timedelta(hours=3, minutes=31))
    await checkins.ask_ended_visits(conn, clock)
    clock.advance(timedelta(minutes=45))  # past the organisation's 30, inside the activity's 60
    assert await checkins.alert_unanswered(conn, clock) == 0
    clock.advance(timedelta(minutes=20))
    assert await checkins.alert_unanswered(conn, clock) == 1
    client.cookies.clear()
    await client.get("/board/sign-in", params={"token": org.coordinator_token})
    board = await client.get(f"/board/occurrences/{night['id']}")
    assert 'id="check-in"' in board.text and "larmats" in board.text  # the board shows it
