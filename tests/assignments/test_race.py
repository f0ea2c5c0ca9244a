"""100 people ask for the last place at the same moment, through a real API process: exactly one
gets it, and the staffing view tells the truth afterwards."""

import asyncio
from datetime import timedelta

import httpx

from tests.support.factories import tokens_of_new_volunteers
from tests.support.processes import cli_env, running_api
from tests.support.scheduling import plan


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
    tokens = await tokens_of_new_volunteers(conn, clock, org, 100)

    with running_api(cli_env(settings, clock.now())) as base:
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
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM assignments WHERE occurrence_id = $1 AND status = 'active'", occurrence_id
        )
        == 2
    )
