"""What every route shares: connections, the clock, who is asking, and problem-details errors."""

from __future__ import annotations

import ipaddress
import re
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import format_datetime
from typing import Annotated, Any

import asyncpg
import msgspec
import structlog
from litestar import Request, Response
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.exceptions import HTTPException, ValidationException
from litestar.params import FromQuery, PathParameter, QueryParameter
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from schemas.common import FieldError, Problem
from services.access.service import API_ONLY, API_OR_PAGE, Access, authenticate
from services.clock import YEARS_WORDS, Clock, sane_year
from services.config import proxy_networks
from services.logging import get_logger
from services.pagination import Cursor
from services.problems import ProblemError, Unprocessable

log = get_logger("volops.http")
# Paths that are credentials: feed secrets and signed links (a shift page, a partner's page, a
# funder's report).
_SECRET_PATH = re.compile(r"^/(feeds|s|b|r)/[^/]+")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
PROBLEM_JSON = "application/problem+json"


# --- dependencies ---------------------------------------------------------------------------
# Route signatures name what they need with these; Litestar injects them per request.
Conn = NamedDependency[asyncpg.Connection]
ClockDep = NamedDependency[Clock]
TokenAccess = NamedDependency[Access]  # who the token is, whatever the path
OrgAccess = NamedDependency[Access]  # the same, checked against /organisations/{org_id}
# Row ids in paths and queries: PostgreSQL bigints. A larger number is refused before any query
# (in a path: 404, since nothing can be there).
MAX_ID = 2**63 - 1
PathId = Annotated[int, PathParameter(ge=1, le=MAX_ID)]
QueryId = Annotated[int | None, QueryParameter(ge=1, le=MAX_ID)]


@dataclass(frozen=True)
class Routes:
    """What one context serves, for app.py to register: handlers under /organisations/{org_id}
    (the caller's token must belong to that organisation), and handlers at the top (public, or
    authenticated their own way: a feed's secret, Twilio's signature, a signed link, a session)."""

    organisation: tuple = ()
    top: tuple = ()


async def provide_conn(request: Request, state: State) -> asyncpg.Connection:
    """A pooled connection for the request, released by `ReleaseConnection` once it is answered.
    (Not a generator dependency: Litestar does not close one when a later dependency fails, such
    as a refused token, and the connection would never return to the pool.)"""
    # Bounded, so a frozen database answers 503 in seconds instead of holding the request.
    conn = await state.pool.acquire(timeout=state.settings.database_timeout_seconds)
    request.scope["state"]["connection"] = conn
    return conn


class ReleaseConnection:
    """Gives the request's connection back to the pool however the request ended."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await self.app(scope, receive, send)
        finally:
            conn = scope.get("state", {}).pop("connection", None)
            if conn is not None:
                await _release(scope["litestar_app"].state, conn)


async def _release(state: State, conn: asyncpg.Connection) -> None:
    # The answer has gone out; a database that stopped answering meanwhile only costs the
    # connection (the pool closes it and opens a new one), never an error on a request that
    # succeeded.
    try:
        await state.pool.release(conn, timeout=state.settings.database_timeout_seconds)
    except (*UNAVAILABLE, asyncpg.PostgresError) as exc:
        log.warning("connection_dropped", error=type(exc).__name__)


def provide_clock(state: State) -> Clock:
    return state.clock


async def provide_token_access(request: Request, conn: Conn, clock: ClockDep) -> Access:
    """An API token; a personal page link only on the routes that say it may (`opt={"page_link":
    True}`): her own shifts, sign-ups, availability and settings, nothing about anyone else."""
    scopes = API_OR_PAGE if request.route_handler.opt.get("page_link") else API_ONLY
    return await authenticate(conn, clock, request.headers.get("authorization"), scopes=scopes)


async def provide_access(org_id: PathId, token_access: TokenAccess) -> Access:
    """Routes under /organisations/{org_id}: a token of another organisation finds nothing (404)."""
    token_access.require_organisation(org_id)
    return token_access


# A route a personal page link may use as a Bearer token (`opt=PAGE_LINK_OK`): what a volunteer
# does herself. Every other route takes API tokens only.
PAGE_LINK_OK = {"page_link": True}

PageAsked = NamedDependency[Cursor]  # from ?limit=&cursor=, by provide_page


def provide_page(limit: FromQuery[int] = 50, cursor: FromQuery[str | None] = None) -> Cursor:
    """The page of a list that was asked for (`?limit=50&cursor=<next_cursor>`), checked."""
    return Cursor.parse(cursor, limit)


@dataclass(frozen=True)
class Window:
    """A list's ?start=&end= window: from start (default now), to end (default some weeks on)."""

    start: datetime
    end: datetime | None

    def span(self, weeks: int = 4) -> tuple[datetime, datetime]:
        return self.start, self.end or self.start + timedelta(weeks=weeks)


WindowAsked = NamedDependency[Window]  # by provide_window


def provide_window(
    clock: ClockDep, start: FromQuery[datetime | None] = None, end: FromQuery[datetime | None] = None
) -> Window:
    """Both ends need an offset, since a bare time is no instant, and a year people plan in."""
    for name, value in (("start", start), ("end", end)):
        if value is not None and value.tzinfo is None:
            raise Unprocessable(
                f"{name} needs a time zone offset, e.g. 2026-03-02T00:00:00+01:00.", code="naive-time"
            )
        if value is not None and not sane_year(value.year):
            raise Unprocessable(f"{name}: {YEARS_WORDS}.", code="year-out-of-range")
    return Window(start or clock.now(), end)


# --- who is asking ---------------------------------------------------------------------------


class ClientAddress:
    """The client's address is the socket's. Only when the socket is a configured trusted proxy
    (VOLOPS_TRUSTED_PROXIES) is X-Forwarded-For read, from the right: the first address that is
    not itself a trusted proxy is the client. Anything a client writes there itself is ignored."""

    def __init__(self, app: ASGIApp, trusted: str) -> None:
        self.app = app
        self.proxies = proxy_networks(trusted)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if self.proxies and scope["type"] == "http" and client and self._trusted(client[0]):
            forwarded = b",".join(v for k, v in scope["headers"] if k == b"x-forwarded-for").decode("latin-1")
            for hop in reversed([h.strip() for h in forwarded.split(",") if h.strip()]):
                if not self._trusted(hop):
                    scope = {**scope, "client": (hop, 0)}
                    break
        await self.app(scope, receive, send)


# --- headers every answer carries --------------------------------------------------------------

# The API answers JSON about people: nothing may frame it, guess its type or keep a copy of it.
_API_POLICY = b"default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# The Swagger page runs its bundled script and styles (from this server) and calls this API.
_DOCS_POLICY = (
    b"default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeaders:
    """On every answer, unless the route set its own: `Cache-Control: no-store` (answers about
    people and exports stay off shared phones and proxies; feeds set their own), a Content Security
    Policy (the Swagger page's allows its own scripts), `X-Frame-Options: DENY` beside CSP's
    frame-ancestors for older browsers, `nosniff`, and HSTS when the public URL is https."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        self.app = app
        self.https = https

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = _DOCS_POLICY if scope["path"].startswith("/schema") else _API_POLICY
        wanted = {
            b"cache-control": b"no-store",
            b"content-security-policy": policy,
            b"x-frame-options": b"DENY",
            b"x-content-type-options": b"nosniff",
        }
        if self.https:
            wanted[b"strict-transport-security"] = b"max-age=31536000; includeSubDomains"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in wanted.items() if k not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


def client_address(request: Request) -> str:
    return request.client.host if request.client else ""


# --- request bodies -------------------------------------------------------------------------

MAX_JSON_DEPTH = 32  # no contract nests deeper than a few levels


_DATE_START = re.compile(r"^(\d{4})-\d{2}-\d{2}")  # a date, or a date and time, in ISO 8601


def _refused_text(text: str) -> tuple[str, str] | None:
    """Why no field of any contract takes this text: (problem code, words), or None."""
    if "\x00" in text:
        return "nul-character", "must not contain the NUL character (\\u0000)"
    year = _DATE_START.match(text)
    if year and not sane_year(int(year[1])):
        return "year-out-of-range", f"must be {YEARS_WORDS}"
    return None


def refused_field(value: Any) -> tuple[str, str, str] | None:
    """Where a decoded body or form holds what no field can (a NUL character, which PostgreSQL
    cannot store; a date in no year people plan in): (field as `roles[0].name`, code, words)."""
    stack: list[tuple[Any, str, int]] = [(value, "", 0)]
    while stack:
        item, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            raise ProblemError("The body is nested too deeply.", code="too-deep")
        if isinstance(item, str):
            refused = _refused_text(item)
            if refused:
                return path or "body", *refused
        elif isinstance(item, dict):
            for key, child in item.items():
                refused = _refused_text(key)
                if refused:
                    return path or "body", *refused
                stack.append((child, f"{path}.{key}" if path else key, depth + 1))
        elif isinstance(item, list):
            stack.extend((child, f"{path}[{n}]", depth + 1) for n, child in enumerate(item))
    return None


class CheckedRequest(Request):
    """Every JSON body is refused with a problem naming the field when it holds what no field
    can (a NUL character, a date in no year people plan in) or is nested deeper than any contract,
    before a rule or a query runs."""

    async def json(self) -> Any:
        try:
            value = await super().json()
        except RecursionError:
            raise ProblemError("The body is nested too deeply.", code="too-deep") from None
        refused = refused_field(value)
        if refused is not None:
            field, code, message = refused
            raise Unprocessable(
                f"{field}: {message}.", code=code, errors=[FieldError(field=field, message=message)]
            )
        return value


# --- problems -------------------------------------------------------------------------------


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        type=type_,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=errors or None,
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def on_problem(request: Request, exc: ProblemError) -> Response[Problem]:
    headers = {"WWW-Authenticate": 'Bearer realm="volops"'} if exc.status == 401 else None
    return problem(
        request, exc.status, exc.title, exc.detail, type_=exc.type, errors=exc.errors, headers=headers
    )


_HTTP_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _friendly(message: str) -> str:
    """msgspec says "Expected `int`, got `str`"; a person reads "expected a whole number, got text"."""
    words = {
        "`int`": "a whole number",
        "`str`": "text",
        "`bool`": "true or false",
        "`float`": "a number",
        "`object`": "an object",
        "`array`": "a list",
        "`null`": "null",
        "`datetime`": "a date and time",
        "`date`": "a date",
    }
    for raw, plain in words.items():
        message = message.replace(raw, plain)
    return message[:1].lower() + message[1:]


def _is_bad_json(exc: BaseException | None) -> bool:
    # msgspec.ValidationError subclasses DecodeError: only a pure DecodeError means broken JSON.
    while exc is not None:
        if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
            return True
        exc = exc.__cause__
    return False


def _only_path_ids(exc: HTTPException) -> bool:
    extra = exc.extra if isinstance(exc.extra, list) else []
    return bool(extra) and all(isinstance(i, dict) and i.get("source") == "path" for i in extra)


def on_http_error(request: Request, exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if status >= 500:
        return on_unexpected(request, exc)
    title = _HTTP_TITLES.get(status, "Request not accepted" if status < 500 else "Server error")
    errors: list[FieldError] = []
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        for item in exc.extra:
            if isinstance(item, dict):
                field = str(item.get("key") or item.get("source") or "body")
                message = str(item.get("message", ""))
                if field == "data" and message == "'data'":  # Litestar's words for "no body at all"
                    field, message = "body", "a JSON body is required"
                errors.append(FieldError(field=field, message=_friendly(message)))
    if errors and _only_path_ids(exc):
        # A path id no row can have (beyond bigint, zero): nothing can be there.
        status, title, errors = 404, _HTTP_TITLES[404], []
        detail = "Nothing is here."
    elif errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    elif status == 404:
        detail = "Nothing is here."
    elif status == 405:
        detail = f"{request.method} is not possible here."
    elif status == 413:
        detail = "The request body is too large."
    else:
        detail = _friendly(exc.detail) if exc.detail else title
    if _is_bad_json(exc):
        detail = "The body is not valid JSON."
    return problem(request, status, title, detail, errors=errors, headers=exc.headers)


def on_integrity_error(request: Request, exc: asyncpg.IntegrityConstraintViolationError) -> Response[Problem]:
    # A rule the database enforced that the code did not check first (usually a race). The
    # constraint's name says which rule, without echoing the row's values.
    constraint = getattr(exc, "constraint_name", None) or "a rule"
    log.warning("integrity_violation", constraint=constraint, sqlstate=exc.sqlstate)
    return problem(
        request,
        409,
        "Conflict",
        f"The change conflicts with existing data ({constraint}); nothing was saved.",
    )


# A dependency that is away or too slow (PostgreSQL stopped or frozen, Redis gone): the request
# changed nothing, and the client may simply try again.
UNAVAILABLE = (
    OSError,  # refused connections, and TimeoutError (acquire, statement and Redis timeouts)
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.QueryCanceledError,
    RedisConnectionError,
    RedisTimeoutError,
)
RETRY_AFTER_SECONDS = 5


def on_unavailable(request: Request, exc: Exception) -> Response[Problem]:
    log.warning("dependency_unavailable", path=request.url.path, error=type(exc).__name__)
    return problem(
        request,
        503,
        "Service unavailable",
        f"The service cannot reach its database just now; nothing was changed. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def on_data_error(request: Request, exc: asyncpg.DataError) -> Response[Problem]:
    # The last net for a value the contracts let through that PostgreSQL cannot take (a number out
    # of range, a character it cannot store); the contracts should have refused it first.
    log.warning("data_error", path=request.url.path, sqlstate=exc.sqlstate)
    return problem(
        request,
        422,
        "Cannot be accepted",
        "A value in the request is out of range or contains a character that cannot be stored.",
    )


def on_unexpected(request: Request, exc: Exception) -> Response[Problem]:
    log.error("unhandled_error", path=request.url.path, exc_info=exc)
    return problem(
        request,
        500,
        "Server error",
        "Something went wrong on our side; nothing was changed. Quote the request id.",
    )


# --- request id and access log --------------------------------------------------------------


class RequestLogMiddleware:
    """Gives each request an id (or keeps a sane X-Request-ID), logs it once with its outcome."""

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        self.app = app
        self.clock = clock

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message.setdefault("headers", [])
                # Date from the service's clock (uvicorn's own is off), so that Last-Modified,
                # stamped by the same clock, is never later than Date.
                date = format_datetime(self.clock.now(), usegmt=True).encode()
                message["headers"] = [
                    *message["headers"],
                    (b"x-request-id", request_id.encode()),
                    (b"date", date),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            log.info(
                "request",
                method=scope["method"],
                path=_SECRET_PATH.sub(r"/\1/***", scope["path"]),  # the URL is the credential
                status=status["code"],
                ms=round((time.perf_counter() - started) * 1000, 1),
            )
            structlog.contextvars.unbind_contextvars("request_id")
