"""The API and a worker through a real PgBouncer in transaction mode, with two server connections for
every client: nothing may rest on a session. Each change still names who made it (the trail's
settings are set per transaction, never left behind for the next client), the race for the last
place has one winner, the feed cache hears edits (LISTEN goes to PostgreSQL itself), and texts go
out. Skipped where Debian's pgbouncer is not installed."""

from __future__ import annotations

import asyncio
import subprocess
from contextlib import ExitStack

import httpx
import pytest

from tests.support import pgbouncer
from tests.support.factories import tokens_of_new_volunteers
from tests.support.processes import VOLOPS, running_api
from tests.support.scheduling import last_place, occurrences_of, plan, race
from tests.test_scale_out import starts

pytestmark = pytest.mark.now("2026-03-02T10:00")


def pooled_env(sms_stack, stack: ExitStack) -> dict[str, str]:
    direct = sms_stack.settings.database_url
    return sms_stack.env(
        VOLOPS_DATABASE_URL=pgbouncer.start(direct, stack),
        VOLOPS_DATABASE_DIRECT_URL=direct,
        VOLOPS_DATABASE_POOL_MODE="transaction",
    )


async def test_each_change_through_pgbouncer_names_the_person_who_made_it(
    client, conn, clock, org, sms_stack
):
    tokens = await tokens_of_new_volunteers(conn, clock, org, 20)
    people = [
        await conn.fetchval("SELECT id FROM people WHERE display_name = $1", f"Racer {n}") for n in range(20)
    ]
    with ExitStack() as stack, running_api(pooled_env(sms_stack, stack)) as api:
        async with httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=100)) as http:

            async def rename(person: int, token: str, n: int) -> int:
                response = await http.patch(
                    f"{api}/organisations/{org.id}/people/{person}",
                    headers={"Authorization": f"Bearer {token}"},
                    json={"display_name": f"Namn {person}-{n}"},
                )
                return response.status_code

            codes = await asyncio.gather(
                *(rename(p, t, n) for n in range(5) for p, t in zip(people, tokens, strict=True))
            )
    assert codes == [200] * 100
    trail = await conn.fetch(
        "SELECT row_id, actor_person_id, via FROM audit_log"
        " WHERE table_name = 'people' AND action = 'update' AND row_id = ANY($1)",
        people,
    )
    print(
        "DBG",
        await conn.fetch(
            "SELECT table_name, action, count(*), min(id), max(id) FROM audit_log GROUP BY 1, 2"
        ),
    )
    assert len(trail) == 100
    assert all(row["actor_person_id"] == row["row_id"] and row["via"] == "api" for row in trail), [
        dict(row) for row in trail if row["actor_person_id"] != row["row_id"]
    ]
    # Back in the pool, nobody is named: a change by the service itself is the service's.
    leftovers = await conn.fetchval(
        "SELECT count(*) FROM audit_log WHERE actor_person_id IS NOT NULL AND actor_person_id <> ALL($1)",
        people,
    )
    assert leftovers == 0


async def test_the_last_place_through_pgbouncer_has_one_winner(client, conn, clock, org, sms_stack):
    occurrence_id, role_id = await last_place(client, conn, org)
    tokens = await tokens_of_new_volunteers(conn, clock, org, 50)
    with ExitStack() as stack, running_api(pooled_env(sms_stack, stack)) as api:
        codes = await race((api,), org, occurrence_id, role_id, tokens)
    assert codes.count(201) == 1 and codes.count(409) == 49, sorted(set(codes))


async def test_through_pgbouncer_feeds_hear_edits_and_texts_go_out(client, conn, clock, org, sms_stack):
    activity = await plan(client, org)
    tuesday = (await occurrences_of(conn, activity["id"]))[0]
    with ExitStack() as stack:
        env = pooled_env(sms_stack, stack)
        migrate = subprocess.run([*VOLOPS, "migrate"], env=env, capture_output=True, text=True, timeout=60)
        assert migrate.stdout.strip() == "the database is up to date", migrate.stderr
        with running_api(env) as api:
            async with httpx.AsyncClient(timeout=20) as http:
                made = await http.post(
                    f"{api}/organisations/{org.id}/feeds", headers=org.auth(), json={"kind": "organisation"}
                )
                feed = api + "/feeds/" + made.json()["https_url"].split("/feeds/")[1]
                before = starts((await http.get(feed)).text)  # now cached
                moved = await http.patch(
                    f"{api}/organisations/{org.id}/occurrences/{tuesday['id']}",
                    headers=org.auth(),
                    json={"start_local": "2026-03-03T12:00:00"},
                )
                assert moved.status_code == 200, moved.text
                await asyncio.sleep(0.3)  # the notice travels over the direct connection
                assert starts((await http.get(feed)).text) != before
                added = await http.post(
                    f"{api}/organisations/{org.id}/people",
                    headers=org.auth(),
                    json={
                        "display_name": "Nora Pool",
                        "roles": ["volunteer"],
                        "phone": "+46701230671",
                        "sms_consent": True,
                    },
                )
                assert added.status_code == 201, added.text
        await sms_stack.run_jobs(
            "dispatch_due", **{k: v for k, v in env.items() if k.startswith("VOLOPS_DATABASE")}
        )
    assert [m["to"] for m in sms_stack.messages()] == ["+46701230671"]
