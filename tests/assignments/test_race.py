"""100 people ask for the last place at the same moment, through a real API process: exactly one
gets it, and the staffing view tells the truth afterwards."""

import asyncio
import socket
import subprocess
import sys
import time
from datetime import timedelta

import httpx

from services.access import service as access
from services.people import service as people
from tests.conftest import cli_env
from tests.support.scheduling import plan


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_hundred_requests_for_the_last_place(client, conn, settings, clock, org):
    next_week = (clock.now() + timedelta(days=7)).strftime("%Y-%m-%dT10:00:00")
    activity = await plan(
        client,
        org,
        rrule=None,
        start_local=next_week,
        roles=[{"name": "driver", "min_people": 1, "max_people": 2}],
    )
    occurrence_id = await conn.fetchval("SELECT id FROM occurrences WHERE activity_id = $1", activity["id"])
    role_id = activity["roles"][0]["id"]
    taken = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence_id}/signups",
        headers=org.auth("coordinator"),
        json={"role_id": role_id},
    )
    assert taken.status_code == 201  # one place left
    tokens = []
    for n in range(100):
        person_id = await people.insert_member(
            conn,
            clock,
            org.id,
            roles=["volunteer"],
            display_name=f"Racer {n}",
            phone=None,
            language="sv",
            time_zone="Europe/Stockholm",
            sms_consent=False,
        )
        tokens.append((await access.issue_token(conn, clock, organisation_id=org.id, person_id=person_id))[1])

    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "serve"],
        env=cli_env(settings, clock.now(), VOLOPS_PORT=str(port)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(base + "/ready").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and server.poll() is None, "the API did not start"
            time.sleep(0.2)
        url = f"{base}/organisations/{org.id}/occurrences/{occurrence_id}/signups"
        limits = httpx.Limits(max_connections=100)
        async with httpx.AsyncClient(limits=limits, timeout=60) as http:
            start = asyncio.Event()

            async def one(token: str) -> httpx.Response:
                await start.wait()
                return await http.post(
                    url, headers={"Authorization": f"Bearer {token}"}, json={"role_id": role_id}
                )

            tasks = [asyncio.create_task(one(t)) for t in tokens]
            await asyncio.sleep(0.1)
            start.set()
            answers = await asyncio.gather(*tasks)
        codes = sorted(r.status_code for r in answers)
        assert codes == [201] + [409] * 99, codes
        assert all(r.json()["type"].endswith("role-full") for r in answers if r.status_code == 409)
        view = httpx.get(
            f"{base}/organisations/{org.id}/occurrences/{occurrence_id}", headers=org.auth()
        ).json()
        assert view["roles"][0]["taken"] == 2 and view["roles"][0]["state"] == "full"
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE occurrence_id = $1 AND status = 'active'", occurrence_id
        )
        == 2
    )
