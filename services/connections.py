"""How a process reaches what the settings name: a check at start-up that PostgreSQL and Redis
answer (one line naming the setting when not), and the Redis connections, to one server or to the
master that Redis Sentinel names."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from services.config import ConfigError, Settings, env_name, redact

if TYPE_CHECKING:  # imported where used: settings load without the Redis clients
    from arq.connections import RedisSettings
    from redis.asyncio import Redis


async def check_reachable(settings: Settings, timeout: float = 5.0) -> None:
    """Fail with one line when the configured PostgreSQL or Redis does not answer."""
    import asyncpg

    for field in ("database_url", "database_direct_url"):
        url = getattr(settings, field)
        if not url:
            continue
        try:
            conn = await asyncpg.connect(url, timeout=timeout, statement_cache_size=0)
            await conn.close()
        except Exception as exc:  # any failure here is a setting problem for the person
            raise ConfigError(
                f"{env_name(field)}: cannot connect to {redact(url)} ({_reason(exc)})"
            ) from None
    if settings.has_redis:
        client = redis_client(settings, timeout)
        try:
            await client.ping()
        except Exception as exc:
            field = "redis_sentinels" if settings.redis_sentinels else "redis_url"
            where = settings.redis_sentinels or redact(settings.redis_url or "")
            raise ConfigError(f"{env_name(field)}: cannot connect to {where} ({_reason(exc)})") from None
        finally:
            await client.aclose()


def redis_settings(settings: Settings) -> RedisSettings:
    """What arq connects with (the API's queue pool and the workers): one server, or the master
    that Redis Sentinel names, so that after a failover every process follows it alike."""
    from arq.connections import RedisSettings

    if not settings.redis_sentinels:
        if not settings.redis_url:
            raise ConfigError(f"{env_name('redis_url')}: not set (`volops dev` starts an embedded one)")
        return RedisSettings.from_dsn(settings.redis_url)
    password, database = _master_login(settings)
    return RedisSettings(
        host=settings.sentinels,
        sentinel=True,
        sentinel_master=settings.redis_sentinel_master,
        password=password,
        database=database,
    )


def redis_client(settings: Settings, timeout: float = 5.0) -> Redis:
    """A plain client of the current master, for pings and health checks."""
    from redis.asyncio import Redis
    from redis.asyncio.sentinel import Sentinel

    if not settings.redis_sentinels:
        assert settings.redis_url
        return Redis.from_url(settings.redis_url, socket_connect_timeout=timeout)
    password, database = _master_login(settings)
    sentinel = Sentinel(settings.sentinels, socket_timeout=timeout, socket_connect_timeout=timeout)
    return sentinel.master_for(
        settings.redis_sentinel_master, password=password, db=database, socket_connect_timeout=timeout
    )


def _master_login(settings: Settings) -> tuple[str | None, int]:
    """The master's password and database, from VOLOPS_REDIS_URL where one is given."""
    if not settings.redis_url:
        return None, 0
    parts = urlsplit(settings.redis_url)
    path = parts.path.strip("/")
    return parts.password, int(path) if path.isdigit() else 0


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]
