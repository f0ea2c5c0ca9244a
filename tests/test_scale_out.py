"""The API and worker processes keep nothing that another process needs: two `volops serve` on two
ports and two `volops worker`, one PostgreSQL, one Redis. What one API changes, the other serves at
once; a race split across both has one winner; twenty "JA" spread over both make one assignment;
each cron job runs once per tick across the workers."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from contextlib import ExitStack

import httpx
import icalendar
import pytest
from twilio.request_validator import RequestValidator

from tests.rota.test_cover import ask, volunteers
from tests.support.factories import tokens_of_new_volunteers
from tests.support.processes import VOLOPS, free_port, wait_until_up
from tests.support.scheduling import last_place, occurrences_of, plan, race, tomorrows_pickup

pytestmark = pytest.mark.now("2026-03-02T10:00")


def second_api(sms_stack, stack: ExitStack) -> str:
    """API B beside the stack's API A: the same servers, the same public address (a load balancer's)."""
    port = free_port()
    process = subprocess.Popen(
        [*VOLOPS, "serve"], env=sms_stack.env(VOLOPS_PORT=str(port)), stderr=subprocess.DEVNULL
    )
    stack.callback(process.wait, 20)
    stack.callback(process.terminate)
    wait_until_up(f"http://127.0.0.1:{port}/health", process)
    return f"http://127.0.0.1:{port}"


def starts(feed: str) -> list:
    return sorted(e["DTSTART"].dt for e in icalendar.Calendar.from_ical(feed).walk("VEVENT"))


async def test_what_one_api_changes_the_other_serves_at_once(client, conn, clock, org, sms_stack):
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    with ExitStack() as stack:
        a, b = sms_stack.api, second_api(sms_stack, stack)
        async with httpx.AsyncClient(timeout=20) as http:
            made = await http.post(
                f"{a}/organisations/{org.id}/feeds", headers=org.auth(), json={"kind": "organisation"}
            )
            feed = "/feeds/" + made.json()["https_url"].split("/feeds/")[1]
            before = starts((await http.get(b + feed)).text)
            moved = await http.patch(
                f"{a}/organisations/{org.id}/occurrences/{tuesday['id']}",
                headers=org.auth(),
                json={"start_local": "2026-03-03T12:00:00"},
            )
            assert moved.status_code == 200, moved.text
            after = starts((await http.get(b + feed)).text)  # the next poll at B
            assert after != before and min(after).hour == 11  # 12:00 in Stockholm
            await http.delete(f"{a}/organisations/{org.id}/feeds/{made.json()['id']}", headers=org.auth())
            assert (await http.get(b + feed)).status_code == 410
            mine = (
                await http.get(f"{a}/organisations/{org.id}/tokens", headers=org.auth("volunteer"))
            ).json()
            token_id = mine["items"][0]["id"]
            await http.delete(f"{a}/organisations/{org.id}/tokens/{token_id}", headers=org.auth("volunteer"))
            refused = await http.get(
                f"{b}/organisations/{org.id}/people/{org.volunteer_id}", headers=org.auth("volunteer")
            )
            assert refused.status_code == 401


async def test_the_last_place_raced_across_two_apis_has_one_winner(client, conn, clock, org, sms_stack):
    occurrence_id, role_id = await last_place(client, conn, org)
    tokens = await tokens_of_new_volunteers(conn, clock, org, 100)
    with ExitStack() as stack:
        codes = await race((sms_stack.api, second_api(sms_stack, stack)), org, occurrence_id, role_id, tokens)
    assert codes.count(201) == 1 and codes.count(409) == 99, sorted(set(codes))
    held = await conn.fetchval(
        "SELECT count(*) FROM assignments WHERE occurrence_id = $1 AND status = 'active'", occurrence_id
    )
    assert held == 1


def _signed_answer(sms_stack, phone: str, body: str, n: int) -> tuple[dict, dict]:
    """A "JA" as Twilio posts it, signed for the public address both APIs stand behind."""
    params = {
        "AccountSid": "ACfake",
        "Body": body,
        "From": phone,
        "MessageSid": f"SMscale{n:04d}",
        "SmsSid": f"SMscale{n:04d}",
        "To": "+46700000000",
        "NumSegments": "1",
    }
    url = sms_stack.api + "/webhooks/twilio/sms"
    signature = RequestValidator(sms_stack.settings.twilio_auth_token).compute_signature(url, params)
    return params, {"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": f"idem-{n}"}


async def test_twenty_yes_spread_over_two_apis_make_one_assignment(client, conn, clock, org, sms_stack):
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    helpers = dict(await volunteers(conn, clock, org, 20))
    request = await ask(client, org, occurrence["id"], role_id, people_count=20)
    phones = [helpers[p] for p in request["asked"] if p in helpers]
    with ExitStack() as stack:
        apis = (sms_stack.api, second_api(sms_stack, stack))
        async with httpx.AsyncClient(timeout=30) as http:
            answers = await asyncio.gather(
                *(
                    http.post(f"{apis[n % 2]}/webhooks/twilio/sms", data=params, headers=headers)
                    for n, (params, headers) in enumerate(
                        _signed_answer(sms_stack, phone, f"JA {request['code']}", n)
                        for n, phone in enumerate(phones)
                    )
                )
            )
    assert all(a.status_code == 200 for a in answers), [a.text for a in answers if a.status_code != 200]
    assert sum("Passet är ditt" in a.text for a in answers) == 1
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE occurrence_id = $1 AND status = 'active'",
            occurrence["id"],
        )
        == 1
    )


def _runs(log: str, job: str) -> list[float]:
    """When each worker finished a cron run of `job` (from its JSON log lines)."""
    found = []
    for line in log.splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if f"← cron:{job}" in entry.get("event", ""):
            found.append(time.mktime(time.strptime(entry["timestamp"][:19], "%Y-%m-%dT%H:%M:%S")))
    return found


async def test_each_cron_job_runs_once_per_tick_across_two_workers(conn, sms_stack, tmp_path):
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    with ExitStack() as stack:
        for log in logs:
            out = stack.enter_context(open(log, "w"))
            worker = subprocess.Popen(
                [*VOLOPS, "worker"],
                env=sms_stack.env(VOLOPS_LOG_LEVEL="INFO"),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            stack.callback(worker.wait, 20)
            stack.callback(worker.terminate)
        await asyncio.sleep(22)
    text = [log.read_text() for log in logs]
    for job, every in (("dispatch_due", 5), ("check_in_outreach", 10)):
        first_seconds = min(min(_runs(t, job) or [float("inf")]) for t in text)
        ticks = sorted(t for log in text for t in _runs(log, job) if t > first_seconds + 1)  # after start-up
        assert len(ticks) >= 2, (job, ticks)
        gaps = [later - earlier for earlier, later in zip(ticks, ticks[1:], strict=False)]
        assert min(gaps) >= every - 1, (job, ticks)  # never two runs of one tick


async def test_an_api_stopped_under_load_drains_then_finishes_what_it_started(
    client, conn, clock, org, sms_stack
):
    """SIGTERM while requests are under way: /ready turns 503 at once (the load balancer moves on)
    while every request is still answered; after the drain it stops. No 5xx, no connection dropped."""
    await plan(client, org)
    with ExitStack() as stack:
        port = free_port()
        env = sms_stack.env(VOLOPS_PORT=str(port), VOLOPS_DRAIN_SECONDS="2")
        process = subprocess.Popen([*VOLOPS, "serve"], env=env, stderr=subprocess.DEVNULL)
        stack.callback(process.wait, 20)
        wait_until_up(f"http://127.0.0.1:{port}/health", process)
        base = f"http://127.0.0.1:{port}"
        window = {"from": "2026-03-01T00:00:00Z", "to": "2026-06-01T00:00:00Z"}
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=40)) as http:

            async def one() -> int:
                response = await http.get(
                    f"{base}/organisations/{org.id}/occurrences", headers=org.auth(), params=window
                )
                return response.status_code

            tasks = [asyncio.create_task(one()) for _ in range(80)]
            await asyncio.sleep(0.15)
            process.terminate()
            ready = await http.get(f"{base}/ready")
            results = await asyncio.gather(*tasks)
        # uvicorn finishes the requests, then ends by the signal it caught (so exits as killed by it)
        assert process.wait(20) in (0, -signal.SIGTERM)
    assert ready.status_code == 503 and ready.headers["retry-after"] == "5"
    assert results == [200] * 80
