"""Benchmark: every coordinator's page, and a volunteer's and a partner's own pages, with the demo
scaled x10, against /health of the same server in the same run (issues 13 and 14: every page
<= 50 ms p95 on this machine).

The demo is loaded, then its first organisation (the Malmö shelter) gets nine more copies of each
activity and nine times its people, with the copies' coming dates staffed. One API process serves;
requests go one at a time (a coordinator's browser), after a warm-up.

    .venv/bin/python bench/pages.py [--requests 60]
"""

from __future__ import annotations

import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import httpx
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import arguments, bench_servers, on_database, start_api  # noqa: E402
from infra import demo  # noqa: E402
from schemas.scheduling import ActivityCreate  # noqa: E402
from services.access import service as access  # noqa: E402
from services.access.service import Access  # noqa: E402
from services.activities import service as activities  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.pagination import Cursor  # noqa: E402
from services.people import page_link  # noqa: E402
from services.people import service as people  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCALE = 10
GOAL_MS = 50


async def _copy_activities(conn, clock, coordinator: Access) -> None:
    listed = await activities.list_activities(conn, coordinator, Cursor(0, 200))
    for activity in [a for a in listed.items if a.organisation_id == coordinator.organisation_id]:
        fields = msgspec.to_builtins(activity)
        wanted = {k: v for k, v in fields.items() if k in ActivityCreate.__struct_fields__}
        wanted["roles"] = [
            {k: r[k] for k in ("name", "min_people", "max_people", "qualification_type_ids")}
            for r in fields["roles"]
        ]
        for copy in range(1, SCALE):
            data = msgspec.convert(
                wanted | {"title": f"{activity.title} {copy}", "shared_with": []}, ActivityCreate
            )
            await activities.create(conn, clock, coordinator, data)


async def _staff(conn, clock, organisation_id: int, volunteers: list[int]) -> int:
    """One volunteer on each role of each coming date (the database's rules may refuse some)."""
    places = await conn.fetch(
        "SELECT o.id AS occurrence_id, r.id AS role_id FROM occurrences o"
        " JOIN activities a ON a.id = o.activity_id JOIN activity_roles r ON r.activity_id = a.id"
        " WHERE a.organisation_id = $1 AND o.starts_at BETWEEN $2 AND $3 ORDER BY o.starts_at",
        organisation_id,
        clock.now(),
        clock.now() + timedelta(weeks=8),
    )
    staffed = 0
    for n, place in enumerate(places):
        try:
            await conn.execute(
                "INSERT INTO assignments (occurrence_id, activity_role_id, person_id, source)"
                " VALUES ($1, $2, $3, 'assigned')",
                place["occurrence_id"],
                place["role_id"],
                volunteers[n % len(volunteers)],
            )
            staffed += 1
        except asyncpg.PostgresError:
            pass  # full, or a clash for that volunteer
    return staffed


async def seed(conn: asyncpg.Connection, clock: FixedClock) -> tuple[str, dict]:
    """The scaled demo; the Malmö coordinator's token and the ids the pages need."""
    ids = await demo.load(conn, clock)
    organisation_id = next(iter(ids.values()))
    listing = Access.without_token(0, organisation_id, "coordinator")
    members = (await people.list_people(conn, listing, Cursor(0, 1000))).items
    coordinator = next(m for m in members if "coordinator" in m.roles)
    acting = Access.without_token(coordinator.id, organisation_id, "coordinator", "sv")
    await _copy_activities(conn, clock, acting)
    volunteers = [m.id for m in members if "volunteer" in m.roles]
    for n in range(len(members) * (SCALE - 1)):
        volunteers.append(
            await people.insert_member(
                conn,
                clock,
                organisation_id,
                roles=["volunteer"],
                display_name=f"Bänk Volontär {n:04}",
                phone=None,
                language="sv",
                time_zone="Europe/Stockholm",
                sms_consent=False,
            )
        )
    staffed = await _staff(conn, clock, organisation_id, volunteers)
    await conn.execute("ANALYZE")  # the statistics a live database has (autovacuum keeps them)
    _row, token = await access.issue_token(
        conn, clock, organisation_id=organisation_id, person_id=coordinator.id
    )
    occurrence = await conn.fetchrow(
        "SELECT o.id, o.activity_id, r.id AS role_id FROM occurrences o JOIN activities a ON a.id = o.activity_id"
        " JOIN activity_roles r ON r.activity_id = a.id WHERE a.organisation_id = $1 AND o.starts_at > $2"
        " ORDER BY o.starts_at LIMIT 1",
        organisation_id,
        clock.now(),
    )
    counts = {
        "people": len(volunteers) + 1,
        "activities": await conn.fetchval(
            "SELECT count(*) FROM activities WHERE organisation_id = $1", organisation_id
        ),
        "occurrences": await conn.fetchval(
            "SELECT count(*) FROM occurrences o JOIN activities a ON a.id = o.activity_id WHERE a.organisation_id = $1",
            organisation_id,
        ),
        "staffed": staffed,
    }
    own = {"volunteer": await _page_link(conn, clock, organisation_id, volunteers[0])}
    parish = ids["malmo-parish"]
    (verger,) = (
        await people.list_people(conn, Access.without_token(0, parish, "coordinator"), Cursor(0, 1))
    ).items
    own["partner"] = await _page_link(conn, clock, parish, verger.id)
    found = {"person": volunteers[0], "coordinator": coordinator.id, "counts": counts, "own": own}
    return token, found | dict(occurrence)


async def _page_link(conn, clock, organisation_id: int, person_id: int) -> str:
    """The link a person's SMS carries to her own page."""
    _token, secret = await page_link.issue(conn, clock, organisation_id, person_id)
    return page_link.sign_in_url("", secret)


def pages(found: dict) -> list[str]:
    o, a, r, p = found["id"], found["activity_id"], found["role_id"], found["person"]
    return [
        "/board",
        "/board/plan",
        "/board/plan/month",
        f"/board/occurrences/{o}",
        f"/board/occurrences/{o}/roles/{r}",
        "/board/autofill",
        "/board/activities",
        "/board/activities/new",
        f"/board/activities/{a}",
        "/board/people",
        "/board/people?q=volont",
        f"/board/people/{p}",
        f"/board/people/{p}/availability",
        "/board/people/import",
        "/board/places",
        "/board/rooms",
        "/board/qualifications",
        "/board/sms",
        "/board/reports",
        "/board/sessions",
        "/board/audit",
    ]


def own_pages(found: dict) -> dict[str, list[str]]:
    """Her own pages, by whose link opens them."""
    return {
        "volunteer": [
            "/my",
            "/my/open",
            f"/my/shifts/{found['id']}",
            "/my/calendar",
            "/my/availability",
            "/my/settings",
        ],
        "partner": ["/my/rooms", "/my/calendar", "/my/settings"],
    }


def p95(client: httpx.Client, path: str, requests: int) -> float:
    for _ in range(5):
        assert client.get(path).status_code == 200, path
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, path
    return sorted(timings)[int(len(timings) * 0.95) - 1]


def measure(base: str, token: str, found: dict, requests: int) -> bool:
    with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
        assert client.get("/board/sign-in", params={"token": token}).status_code == 200
        health = p95(client, "/health", requests)
        print(f"demo x{SCALE}: " + ", ".join(f"{v} {k}" for k, v in found["counts"].items()))
        print(f"p95 of {requests} requests each, one at a time, one API process:")
        print(f"  {'/health':40} {health:7.1f} ms")
        worst = _timed(client, pages(found), requests, health)
    for who, paths in own_pages(found).items():
        with httpx.Client(base_url=base, timeout=30, follow_redirects=True) as client:
            assert client.get(found["own"][who]).status_code == 200
            print(f"  the {who}'s own pages:")
            worst = max(worst, _timed(client, paths, requests, health))
    print(f"slowest page: {worst:.1f} ms p95 ({worst / health:.1f}x /health)")
    return worst <= GOAL_MS


def _timed(client: httpx.Client, paths: list[str], requests: int, health: float) -> float:
    worst = 0.0
    for path in paths:
        took = p95(client, path, requests)
        worst = max(worst, took)
        mark = "met" if took <= GOAL_MS else "MISSED"
        print(f"  {path:40} {took:7.1f} ms   {took / health:5.1f}x /health   goal <= {GOAL_MS} ms: {mark}")
    return worst


def main() -> None:
    args = arguments(__doc__, requests=60)
    with ExitStack() as stack:
        database_url, redis_url = bench_servers(stack)

        token, found = on_database(database_url, lambda conn: seed(conn, FixedClock(datetime.now(UTC))))
        base = start_api(stack, database_url, redis_url)
        met = measure(base, token, found, args.requests)
    sys.exit(0 if met else 1)


if __name__ == "__main__":
    main()
