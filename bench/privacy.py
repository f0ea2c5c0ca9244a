"""Benchmark: a person's export and erasure in an organisation of 5,000 volunteers (issue 15),
against reading the same person's record in the same run (the baseline).

The organisation gets 5,000 volunteers and a year of weekly shifts; the measured volunteer has a
shift every week (half of them attended), texts both ways, availability and a calendar feed. The
export is timed over several runs (rows and bytes printed); the erasure once, in a transaction
rolled back each time so every run erases the same person.

    .venv/bin/python bench/privacy.py [--volunteers 5000] [--runs 10]
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import arguments, bench_organisation, bench_servers  # noqa: E402
from services.access.service import Access  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.people import service as people  # noqa: E402
from services.privacy import erasure, export  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


async def seed(conn: asyncpg.Connection, clock: FixedClock, volunteers: int) -> tuple[int, int, int]:
    """The organisation and the one volunteer whose data is exported."""
    org = await bench_organisation(conn, "bench-privacy")
    await conn.execute(
        "INSERT INTO people (display_name, phone, language, time_zone, sms_consent)"
        " SELECT 'Bänk Volontär ' || n, '+4673' || lpad(n::text, 7, '0'), 'sv', 'Europe/Stockholm', true"
        " FROM generate_series(1, $1) n",
        volunteers,
    )
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) SELECT $1, id, 'volunteer' FROM people",
        org.id,
    )
    person = await conn.fetchval("SELECT min(id) FROM people")
    coordinator = await conn.fetchval("SELECT max(id) FROM people")
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'coordinator')",
        org.id,
        coordinator,
    )
    activity = await conn.fetchval(
        "INSERT INTO activities (organisation_id, kind, title, time_zone, start_local, duration_minutes, created_at, updated_at)"
        " VALUES ($1, 'food_pickup', 'Bröd', 'Europe/Stockholm', '2026-01-06T10:00', 120, now(), now()) RETURNING id",
        org.id,
    )
    role = await conn.fetchval(
        "INSERT INTO activity_roles (activity_id, name, min_people, max_people) VALUES ($1, 'driver', 1, 100) RETURNING id",
        activity,
    )
    start = clock.now() - timedelta(weeks=26)
    await conn.execute(
        "INSERT INTO occurrences (activity_id, local_date, starts_at, ends_at)"
        " SELECT $1, ($2::timestamptz + n * interval '1 week')::date, $2 + n * interval '1 week',"
        "        $2 + n * interval '1 week' + interval '2 hours' FROM generate_series(0, 51) n",
        activity,
        start,
    )
    await conn.execute(
        "INSERT INTO assignments (occurrence_id, activity_role_id, person_id, source, attendance)"
        " SELECT o.id, $1, p.id, 'assigned', CASE WHEN o.ends_at < $2 THEN 'attended' END"
        " FROM occurrences o CROSS JOIN (SELECT id FROM people ORDER BY id LIMIT 20) p",
        role,
        clock.now(),
    )
    phone = await conn.fetchval("SELECT phone FROM people WHERE id = $1", person)
    await conn.execute(
        "INSERT INTO outbox (key, kind, person_id, organisation_id, to_address, body, segments, due_at, status)"
        " SELECT 'bench:' || n, 'message', $1, $2, $3, 'Påminnelse ' || n, 1, now(), 'delivered'"
        " FROM generate_series(1, 100) n",
        person,
        org.id,
        phone,
    )
    await conn.execute("ANALYZE")
    return org.id, person, coordinator


async def measure(database_url: str, volunteers: int, runs: int) -> None:
    conn = await asyncpg.connect(database_url, server_settings={"timezone": "UTC"})
    clock = FixedClock(datetime.now(UTC))
    organisation_id, person, coordinator = await seed(conn, clock, volunteers)
    access = Access.without_token(coordinator, organisation_id, "coordinator", "sv")

    async def timed(action) -> list[float]:
        took = []
        for _ in range(runs):
            started = time.perf_counter()
            await action()
            took.append((time.perf_counter() - started) * 1000)
        return took

    baseline = await timed(lambda: people.get_person(conn, access, person))
    found = {}

    async def run_export():
        found["data"] = await export.export(conn, clock, access, person)

    exports = await timed(run_export)
    archive = export.as_zip(found["data"])
    rows = sum(len(v) for v in found["data"].values())

    async def run_erasure():
        transaction = conn.transaction()
        await transaction.start()
        await erasure.erase(conn, clock, access, person)
        await transaction.rollback()

    erasures = await timed(run_erasure)
    base = statistics.median(baseline)
    print(f"organisation of {volunteers} volunteers; the exported one has {rows} rows about her")
    print(f"  read her record (baseline)  {base:8.2f} ms median")
    for name, took in (("export (JSON)", exports), ("erasure", erasures)):
        middle = statistics.median(took)
        print(
            f"  {name:27} {middle:8.2f} ms median   {middle / base:6.1f}x baseline   max {max(took):.1f} ms"
        )
    json_bytes = len(msgspec.json.encode(found["data"]))
    print(f"  export size: {json_bytes} bytes JSON, {len(archive)} bytes ZIP (JSON + CSVs)")
    await conn.close()


def main() -> None:
    args = arguments(__doc__, volunteers=5000, runs=10)
    with ExitStack() as stack:
        database_url, _redis = bench_servers(stack)
        asyncio.run(measure(database_url, args.volunteers, args.runs))


if __name__ == "__main__":
    main()
