"""The arq worker as a real process: jobs reach PostgreSQL through the services, at least once."""

import subprocess
import time

from arq import create_pool
from arq.connections import RedisSettings

from tests.support.processes import VOLOPS, cli_env


async def enqueue(settings, name: str) -> None:
    redis = await create_pool(RedisSettings.from_dsn(settings.redis_url))
    try:
        await redis.enqueue_job(name, _queue_name=settings.queue_name)
    finally:
        await redis.aclose()


async def test_dead_token_cleanup_runs_in_a_worker_and_twice_is_harmless(conn, settings, clock, org):
    # Revoked 40 days ago (past the 30-day retention) and revoked yesterday (kept for now).
    await conn.execute(
        "UPDATE api_tokens SET revoked_at = $2::timestamptz - interval '40 days' WHERE person_id = $1",
        org.volunteer_id,
        clock.now(),
    )
    fresh = await conn.fetchval(
        "INSERT INTO api_tokens (organisation_id, person_id, token_hash, revoked_at, created_at)"
        " VALUES ($1, $2, sha256('x'), $3::timestamptz - interval '1 day', $3::timestamptz - interval '2 days')"
        " RETURNING id",
        org.id,
        org.coordinator_id,
        clock.now(),
    )
    for _ in range(2):
        await enqueue(settings, "delete_dead_tokens")
        run = subprocess.run(
            [*VOLOPS, "worker", "--burst"],
            env=cli_env(settings, clock.now()),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
    remaining = {r["person_id"]: r["id"] for r in await conn.fetch("SELECT id, person_id FROM api_tokens")}
    assert org.volunteer_id not in remaining
    assert fresh in remaining.values() and org.coordinator_id in remaining
    assert '"count": 1' in run.stderr or '"count": 0' in run.stderr


def test_worker_reports_health(settings):
    env = cli_env(settings)
    assert subprocess.run([*VOLOPS, "worker", "--check"], env=env, capture_output=True).returncode == 1
    worker = subprocess.Popen(
        [*VOLOPS, "worker"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            check = subprocess.run([*VOLOPS, "worker", "--check"], env=env, capture_output=True, text=True)
            if check.returncode == 0:
                break
            time.sleep(0.5)
        assert check.returncode == 0 and check.stdout.strip() == "worker: running"
        assert "Traceback" not in check.stderr
    finally:
        worker.terminate()
        assert worker.wait(timeout=20) == 0


async def test_materialising_in_the_worker_restores_missing_rows_once(client, conn, settings, clock, org):
    from tests.support.scheduling import occurrences_of, plan

    activity = await plan(client, org, start_local=clock.now().strftime("%Y-%m-%dT10:00:00"))
    complete = [r["local_date"] for r in await occurrences_of(conn, activity["id"])]
    await conn.execute(
        "DELETE FROM occurrences WHERE id IN (SELECT id FROM occurrences ORDER BY local_date DESC LIMIT 5)"
    )
    for _ in range(2):
        await enqueue(settings, "materialise_occurrences")
        run = subprocess.run(
            [*VOLOPS, "worker", "--burst"],
            env=cli_env(settings, clock.now()),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert run.returncode == 0, run.stderr
    assert [r["local_date"] for r in await occurrences_of(conn, activity["id"])] == complete
    counts = [line for line in run.stderr.splitlines() if "occurrences_materialised" in line]
    assert '"count": 0' in counts[-1]  # the second run found nothing to add
