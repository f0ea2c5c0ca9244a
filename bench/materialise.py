"""Benchmark: materialise 1,000 series x 26 weeks (goal: <= 5 s on the 2-core machine).

Baseline, measured in the same run on the same database: inserting the very same rows with one
plain INSERT ... SELECT FROM unnest (the floor PostgreSQL sets). Prints both and their ratio, then
a second materialisation that must add nothing (idempotence) and how long that takes.

    .venv/bin/python bench/materialise.py [--series 1000]
"""

from __future__ import annotations

import asyncio
import sys
import time
import uuid
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.server import arguments  # noqa: E402
from infra import databases, embedded  # noqa: E402
from services.clock import FixedClock  # noqa: E402
from services.occurrences import service as occurrences  # noqa: E402

ZONES = ["Europe/Stockholm", "Europe/Oslo", "Europe/Prague"]
RULES = ["FREQ=WEEKLY;BYDAY=TU,FR", "FREQ=WEEKLY;BYDAY=WE", "FREQ=WEEKLY;BYDAY=MO,TH", "FREQ=WEEKLY"]


async def seed(conn: asyncpg.Connection, series: int) -> None:
    org = await conn.fetchval(
        "INSERT INTO organisations (slug, name, kind, country, default_language, time_zone)"
        " VALUES ('bench', 'Bench', 'support_organisation', 'SE', 'sv', 'Europe/Stockholm') RETURNING id"
    )
    await conn.executemany(
        "INSERT INTO activities (organisation_id, kind, title, time_zone, start_local, duration_minutes, rrule)"
        " VALUES ($1, 'food_pickup', $2, $3, $4, 120, $5)",
        [
            (org, f"Series {n}", ZONES[n % 3], datetime(2026, 1, 5, 8 + n % 10, 0), RULES[n % 4])
            for n in range(series)
        ],
    )


async def run(admin_url: str, series: int) -> None:
    name = f"volops_bench_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(await databases.create_database(admin_url, name))
    clock = FixedClock(datetime(2026, 3, 2, 6, 0, tzinfo=UTC))
    try:
        await seed(conn, series)

        started = time.perf_counter()
        async with conn.transaction():
            added = await occurrences.materialise(conn, clock)
        ours = time.perf_counter() - started

        again_started = time.perf_counter()
        async with conn.transaction():
            second = await occurrences.materialise(conn, clock)
        again = time.perf_counter() - again_started

        # Baseline: the same rows, copied with one plain INSERT into a fresh table.
        await conn.execute("CREATE TABLE occurrences_copy (LIKE occurrences INCLUDING DEFAULTS)")
        rows = await conn.fetch("SELECT activity_id, local_date, starts_at, ends_at FROM occurrences")
        columns = [[r[i] for r in rows] for i in range(4)]
        started = time.perf_counter()
        await conn.execute(
            "INSERT INTO occurrences_copy (id, activity_id, local_date, starts_at, ends_at)"
            " SELECT row_number() OVER (), * FROM unnest($1::bigint[], $2::date[], $3::timestamptz[], $4::timestamptz[])",
            *columns,
        )
        floor = time.perf_counter() - started
    finally:
        await conn.close()
        await databases.drop_database(admin_url, name)

    print(f"series: {series}, horizon: 26 weeks, occurrences created: {added}")
    print(
        f"materialise (expand in Python + insert):   {ours:7.3f} s   goal <= 5 s: {'met' if ours <= 5 else 'MISSED'}"
    )
    print(f"baseline (plain INSERT of the same rows):  {floor:7.3f} s")
    print(f"ratio materialise / baseline:              {ours / floor:7.1f}x")
    print(f"second materialise (must add 0): added {second} in {again:.3f} s")
    if second != 0:
        raise SystemExit("materialising twice added rows")


def main() -> None:
    args = arguments(__doc__, series=1000)
    with ExitStack() as stack:
        admin_url, _redis = embedded.local_servers(Path(".volops/bench"), stack)
        asyncio.run(run(admin_url, args.series))


if __name__ == "__main__":
    main()
