"""What every volops command shares: one-line errors, the database connection, migrating."""

from __future__ import annotations

import asyncpg

from infra import migrate as migrations
from services.config import ConfigError, Settings, env_name
from services.connections import check_reachable

EXIT_USAGE = 2


class CliError(Exception):
    pass


def database_url_of(settings: Settings) -> str:
    """Migrations hold a session lock, so they go to PostgreSQL itself, past any pooler."""
    if not settings.session_database_url:
        raise ConfigError(f"{env_name('database_url')}: not set (`volops dev` starts an embedded one)")
    return settings.session_database_url


async def connect(settings: Settings) -> asyncpg.Connection:
    await check_reachable(settings)
    return await asyncpg.connect(database_url_of(settings), server_settings={"timezone": "UTC"})


async def migrate_database(settings: Settings) -> list[str]:
    conn = await connect(settings)
    try:
        return await migrations.migrate(conn)
    finally:
        await conn.close()
