"""Helpers that plan activities through the API, as a coordinator would."""

from __future__ import annotations

from datetime import timedelta

PICKUP = {
    "kind": "food_pickup",
    "title": "Bread from the bakery",
    "time_zone": "Europe/Stockholm",
    "start_local": "2026-03-03T10:00:00",  # a Tuesday
    "duration_minutes": 120,
    "rrule": "FREQ=WEEKLY;BYDAY=TU,FR",
    "roles": [{"name": "driver", "min_people": 1, "max_people": 2}],
}


async def plan(client, org, **overrides) -> dict:
    response = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | overrides
    )
    assert response.status_code == 201, response.text
    return response.json()


async def occurrences_of(conn, activity_id: int) -> list:
    return await conn.fetch(
        "SELECT * FROM occurrences WHERE activity_id = $1 ORDER BY local_date", activity_id
    )


async def sign_up(client, org, occurrence_id: int, role_id: int, who: str = "volunteer"):
    return await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence_id}/signups",
        headers=org.auth(who),
        json={"role_id": role_id},
    )


async def notices(conn) -> list[tuple[int, str]]:
    rows = await conn.fetch(
        "SELECT a.occurrence_id, n.kind FROM assignment_notices n JOIN assignments a ON a.id = n.assignment_id ORDER BY n.id"
    )
    return [(r["occurrence_id"], r["kind"]) for r in rows]


async def protected_place(client, org, address: str, latitude: float) -> dict:
    """The shelter: a place whose address only the organisation's coordinators may ever see."""
    response = await client.post(
        f"/organisations/{org.id}/places",
        headers=org.auth(),
        json={
            "name": "The house",
            "address": address,
            "protected": True,
            "latitude": latitude,
            "longitude": 13.0,
        },
    )
    assert response.status_code == 201, response.text
    return response.json()


async def driving_licence(conn, org, *holders: int) -> int:
    """The organisation's "Driving licence" qualification type, held (without end) by `holders`."""
    licence = await conn.fetchval(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Driving licence') RETURNING id",
        org.id,
    )
    for person in holders:
        await conn.execute(
            "INSERT INTO person_qualifications (person_id, qualification_type_id) VALUES ($1, $2)",
            person,
            licence,
        )
    return licence


async def tomorrows_pickup(client, conn, clock, org):
    """A one-off pickup tomorrow at 10:00 (Stockholm) needing one driver, tomorrow by the test's
    clock. Returns the occurrence and the driver role's id."""
    tomorrow = (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT10:00:00")
    activity = await plan(
        client,
        org,
        rrule=None,
        start_local=tomorrow,
        roles=[{"name": "driver", "min_people": 1, "max_people": 1}],
    )
    return (await occurrences_of(conn, activity["id"]))[0], activity["roles"][0]["id"]


async def last_place(client, conn, org) -> tuple[int, int]:
    """A one-off Monday pickup with room for one driver: (occurrence id, role id) to race for."""
    activity = await plan(
        client,
        org,
        rrule=None,
        start_local="2026-03-09T10:00:00",
        roles=[{"name": "driver", "min_people": 1, "max_people": 1}],
    )
    occurrence_id = await conn.fetchval("SELECT id FROM occurrences WHERE activity_id = $1", activity["id"])
    return occurrence_id, activity["roles"][0]["id"]


async def race(apis: tuple[str, ...], org, occurrence_id: int, role_id: int, tokens: list[str]) -> list[int]:
    """Every token signs up for the place at the same moment, spread over the APIs; the answers."""
    import asyncio

    import httpx

    async with httpx.AsyncClient(limits=httpx.Limits(max_connections=len(tokens)), timeout=60) as http:
        go = asyncio.Event()

        async def one(n: int, token: str) -> int:
            await go.wait()
            response = await http.post(
                f"{apis[n % len(apis)]}/organisations/{org.id}/occurrences/{occurrence_id}/signups",
                headers={"Authorization": f"Bearer {token}"},
                json={"role_id": role_id},
            )
            return response.status_code

        tasks = [asyncio.create_task(one(n, t)) for n, t in enumerate(tokens)]
        await asyncio.sleep(0.2)
        go.set()
        return list(await asyncio.gather(*tasks))
