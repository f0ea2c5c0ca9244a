"""Numbered SQL migrations: from empty, once each, under a lock, refusing edited files."""

import shutil
import subprocess

import asyncpg
import pytest

from infra.migrate import MIGRATIONS_DIR, MigrationError, discover, migrate
from tests.support.processes import VOLOPS


async def test_from_an_empty_database(fresh_database):
    conn = await asyncpg.connect(fresh_database)
    try:
        applied = await migrate(conn)
        assert applied == [m.name for m in discover()]
        assert await migrate(conn) == []
        recorded = await conn.fetch("SELECT name, checksum FROM schema_migrations ORDER BY version")
        assert [(r["name"], r["checksum"]) for r in recorded] == [(m.name, m.checksum) for m in discover()]
        assert await conn.fetchval("SELECT to_regclass('api_tokens') IS NOT NULL")
    finally:
        await conn.close()


async def test_an_applied_file_that_changed_is_refused(fresh_database, tmp_path):
    folder = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, folder)
    conn = await asyncpg.connect(fresh_database)
    try:
        await migrate(conn, folder)
        first = sorted(folder.glob("*.sql"))[0]
        first.write_text(first.read_text() + "\n-- edited later\n")
        with pytest.raises(MigrationError, match=f"{first.name} was changed after it was applied"):
            await migrate(conn, folder)
    finally:
        await conn.close()


def test_two_processes_migrate_at_once(fresh_database, redis_url):
    env = {"PATH": "/usr/bin:/bin", "VOLOPS_DATABASE_URL": fresh_database, "VOLOPS_REDIS_URL": redis_url}
    runs = [
        subprocess.Popen(
            [*VOLOPS, "migrate"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], outputs
    said = sorted(out for out, _err in outputs)
    assert said[0].startswith("applied: 0001_")
    assert said[1:] == ["the database is up to date\n"] * 2
