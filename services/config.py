"""Settings from the environment (and an optional .env), validated once at start-up.

Every problem becomes a `ConfigError` with one line naming the setting, so that a person who
mistyped a variable sees what to fix instead of a traceback.
"""

from __future__ import annotations

import ipaddress
import os
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit, urlunsplit

import msgspec
from dotenv import dotenv_values

if TYPE_CHECKING:  # imported where used: settings load without the Redis clients
    pass

ENV_PREFIX = "VOLOPS_"

Url = Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]

# "host:port" of one sentinel or more, comma-separated
SENTINELS = r"^[A-Za-z0-9.\-]{1,253}:\d{1,5}(,[A-Za-z0-9.\-]{1,253}:\d{1,5}){0,15}$"

WORKER_HEALTH_SUFFIX = ":health-check"  # arq's own key for a worker's heartbeat, after the queue name


class ConfigError(Exception):
    """A setting is missing, malformed or does not answer. The message is one line."""


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    # None means: start the embedded PostgreSQL/Redis under data_dir (`volops dev` only).
    database_url: Url | None = None
    # "transaction" when database_url is a pooler in transaction mode (PgBouncer): a session is
    # then many server connections, so nothing may rest on one (prepared statements, session
    # settings, LISTEN, session locks). What needs one session (the feed cache's LISTEN and
    # `volops migrate`) connects to database_direct_url, PostgreSQL itself.
    database_pool_mode: Literal["session", "transaction"] = "session"
    database_direct_url: Url | None = None
    redis_url: Url | None = None
    # Redis behind Sentinel: "host:port,host:port,…" of the sentinels, who name the master of
    # redis_sentinel_master; then VOLOPS_REDIS_URL may be left out, or give only the master's
    # password and database ("redis://:secret@sentinel/0"; its host is not used).
    redis_sentinels: Annotated[str, msgspec.Meta(pattern=SENTINELS)] | None = None
    redis_sentinel_master: Annotated[str, msgspec.Meta(pattern=r"^[A-Za-z0-9._-]{1,64}$")] = "mymaster"
    # How people and Twilio reach the API; by default where `volops serve` listens.
    public_url: Url | None = None
    data_dir: Url = ".volops"
    host: str = "127.0.0.1"
    port: Annotated[int, msgspec.Meta(ge=1, le=65535)] = 8000
    queue_name: Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9:_-]{1,64}$")] = "volops:queue"
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_body_bytes: Annotated[int, msgspec.Meta(ge=1024, le=50_000_000)] = 1_000_000
    token_retention_days: Annotated[int, msgspec.Meta(ge=1, le=3650)] = 30
    # Proxies whose X-Forwarded-For is believed ("10.0.0.5,10.1.0.0/16"): none by default, so the
    # client's address is the socket's. infra/deploy sets it to the ingress/nginx.
    trusted_proxies: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    # Calendar links are made under this key, so that a person's current link can be shown to her
    # again: only its hash and a random part are stored, and the link needs the key too. Every API
    # process needs the same one. Unset, links are random, and a lost one can only be replaced.
    link_key: Annotated[str, msgspec.Meta(min_length=32, max_length=200)] | None = None
    # /metrics answers only with "Authorization: Bearer <this>"; unset, /metrics is not served.
    metrics_token: Annotated[str, msgspec.Meta(min_length=16, max_length=200)] | None = None
    twilio_account_sid: Annotated[str, msgspec.Meta(pattern=r"^AC[0-9a-fA-F]{32}$")] = "AC" + "0" * 32
    twilio_auth_token: Annotated[str, msgspec.Meta(min_length=8)] = "fake-twilio-auth-token"
    twilio_from_number: Annotated[str, msgspec.Meta(pattern=r"^\+[1-9]\d{6,14}$")] = "+46700000000"
    # Empty means the real Twilio API; `volops dev` points it at the fake in infra/.
    twilio_api_base: Url | None = None
    twilio_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=60)] = 10.0
    # An attempt with no recorded answer after this long is "unknown" (its worker died)...
    sms_unknown_after_seconds: Annotated[int, msgspec.Meta(ge=1, le=3600)] = 120
    # A claimed message whose send job never began (the job was lost) is claimed again after this.
    sms_requeue_after_seconds: Annotated[int, msgspec.Meta(ge=1, le=86400)] = 300

    # How long a request waits for a database connection, and a statement for its answer, before
    # the API says 503 (PostgreSQL stopped or frozen).
    database_timeout_seconds: Annotated[float, msgspec.Meta(gt=0, le=300)] = 10.0
    # On SIGTERM the API first answers /ready with 503 for this long (so a load balancer stops
    # sending it requests) while it serves on, then stops accepting and finishes what it has.
    drain_seconds: Annotated[float, msgspec.Meta(ge=0, le=300)] = 5.0
    # Tests only: the process's clock starts at this instant (with its offset) and runs on, so a
    # test can stand at 23:30 or on a daylight-saving day with real API and worker processes.
    clock_start: Annotated[datetime, msgspec.Meta(tz=True)] | None = None

    def __post_init__(self) -> None:
        _check_url("database_url", self.database_url, {"postgres", "postgresql"})
        _check_url("database_direct_url", self.database_direct_url, {"postgres", "postgresql"})
        if self.database_pool_mode == "transaction" and not self.database_direct_url:
            raise msgspec.ValidationError(
                "a pooler in transaction mode needs PostgreSQL's own address too, for LISTEN and"
                " migrations - at `$.database_direct_url`"
            )
        _check_url("redis_url", self.redis_url, {"redis", "rediss", "unix"})
        _check_url("public_url", self.public_url, {"http", "https"})
        _check_url("twilio_api_base", self.twilio_api_base, {"http", "https"})
        proxy_networks(self.trusted_proxies)  # a mistyped one is refused at start, in plain words
        if self.sms_unknown_after_seconds <= self.twilio_timeout_seconds:
            # Otherwise a slow but live attempt could be declared lost and its message sent twice.
            raise msgspec.ValidationError(
                "must be longer than VOLOPS_TWILIO_TIMEOUT_SECONDS - at `$.sms_unknown_after_seconds`"
            )

    @property
    def session_database_url(self) -> str | None:
        """Where one connection is one session: PostgreSQL itself, never a transaction pooler."""
        return self.database_direct_url or self.database_url

    @property
    def sentinels(self) -> list[tuple[str, int]]:
        return [
            (host, int(port))
            for host, port in (s.rsplit(":", 1) for s in (self.redis_sentinels or "").split(",") if s)
        ]

    @property
    def has_redis(self) -> bool:
        return bool(self.redis_url or self.redis_sentinels)

    @property
    def public_base(self) -> str:
        return (self.public_url or f"http://{self.host}:{self.port}").rstrip("/")

    @property
    def link_key_bytes(self) -> bytes | None:
        return self.link_key.encode() if self.link_key else None

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir).expanduser().resolve()


def proxy_networks(trusted: str) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """VOLOPS_TRUSTED_PROXIES as networks ("10.0.0.5,10.1.0.0/16")."""
    networks = []
    for part in (p.strip() for p in trusted.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise msgspec.ValidationError(
                f"{part!r} is not an IP address or network (like 10.0.0.5 or 10.1.0.0/16)"
                " - at `$.trusted_proxies`"
            ) from None
    return networks


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def _check_url(field: str, value: str | None, schemes: set[str]) -> None:
    if value is None:
        return
    scheme = urlsplit(value).scheme
    if scheme not in schemes:
        raise msgspec.ValidationError(
            f"expected a URL starting with {' or '.join(sorted(s + '://' for s in schemes))} - at `$.{field}`"
        )


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def load_settings(environ: dict[str, str] | None = None, env_file: str | Path = ".env") -> Settings:
    """Read VOLOPS_* from `.env` (if present) overlaid by the real environment."""
    environ = dict(os.environ if environ is None else environ)
    raw: dict[str, str] = {}
    if Path(env_file).is_file():
        raw.update({k: v for k, v in dotenv_values(env_file).items() if v is not None})
    raw.update(environ)
    fields = set(Settings.__struct_fields__)
    values: dict[str, str] = {}
    for key, value in raw.items():
        if not key.startswith(ENV_PREFIX):
            continue
        field = key[len(ENV_PREFIX) :].lower()
        if field in fields and value != "":
            values[field] = value
    try:
        return msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ConfigError(_explain(str(exc), values)) from None


def _explain(message: str, values: dict[str, str]) -> str:
    """Turn msgspec's "... - at `$.port`" into "VOLOPS_PORT: ... (got 'abc')"."""
    text, _, where = message.rpartition(" - at ")
    field = where.strip("`").removeprefix("$.")
    if not text or field not in Settings.__struct_fields__:
        return f"invalid settings: {message}"
    shown = values.get(field, "")
    if "url" in field:
        shown = redact(shown)
    elif "token" in field or "key" in field:  # a secret is never printed, even a wrong one
        shown = "***"
    if text.startswith("Invalid enum value"):
        hint = "expected one of " + ", ".join(_choices(field))
    elif "matching regex" in text:
        hint = _PATTERN_HINTS.get(field, text)
    else:
        hint = {"Expected `int`, got `str`": "expected a whole number"}.get(text, text[0].lower() + text[1:])
    return f"{env_name(field)}: {hint} (got {shown!r})"


_PATTERN_HINTS = {
    "twilio_from_number": "expected a phone number in E.164 form, like +46701234567",
    "twilio_account_sid": "expected AC followed by 32 hexadecimal digits",
    "queue_name": "expected 1-64 lowercase letters, digits, ':', '_' or '-'",
    "redis_sentinels": "expected host:port of each sentinel, comma-separated, like 10.0.0.5:26379,10.0.0.6:26379",
    "redis_sentinel_master": "expected the master's name: 1-64 letters, digits, '.', '_' or '-'",
}


def _choices(field: str) -> list[str]:
    import typing

    hint = typing.get_type_hints(Settings)[field]
    return [str(choice) for choice in typing.get_args(hint)]
