"""What wraps every request: the connection given back, the client's address (trusted proxies only),
the headers every answer carries, and the request id with one access-log line."""

from __future__ import annotations

import ipaddress
import re
import time
import uuid
from email.utils import format_datetime
from typing import Any

import asyncpg
import structlog
from litestar.datastructures import State
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from services.clock import Clock
from services.config import proxy_networks
from services.errors import UNAVAILABLE
from services.logging import get_logger

log = get_logger("volops.http")
# Paths that are credentials: feed secrets and signed links (a shift page, a partner's page, a
# funder's report).
_SECRET_PATH = re.compile(r"^/(feeds|s|b|r)/[^/]+")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class OnHttp:
    """Wraps the app for HTTP requests only: lifespan and other scopes pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.on_http(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raise NotImplementedError


class ReleaseConnection(OnHttp):
    """Gives the request's connection back to the pool however the request ended."""

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
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


# --- who is asking ---------------------------------------------------------------------------


class ClientAddress(OnHttp):
    """The client's address is the socket's. Only when the socket is a configured trusted proxy
    (VOLOPS_TRUSTED_PROXIES) is X-Forwarded-For read, from the right: the first address that is
    not itself a trusted proxy is the client. Anything a client writes there itself is ignored."""

    def __init__(self, app: ASGIApp, trusted: str) -> None:
        super().__init__(app)
        self.proxies = proxy_networks(trusted)

    def _trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.proxies)

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        client = scope.get("client")
        if self.proxies and client and self._trusted(client[0]):
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


class SecurityHeaders(OnHttp):
    """On every answer, unless the route set its own: `Cache-Control: no-store` (answers about
    people and exports stay off shared phones and proxies; feeds set their own), a Content Security
    Policy (the Swagger page's allows its own scripts), `X-Frame-Options: DENY` beside CSP's
    frame-ancestors for older browsers, `nosniff`, and HSTS when the public URL is https."""

    def __init__(self, app: ASGIApp, https: bool) -> None:
        super().__init__(app)
        self.https = https

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
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


class HeadAsGet(OnHttp):
    """HEAD is answered as GET without its body, for every route (link checkers, previews and
    uptime monitors ask HEAD; the answer's headers, length included, are GET's)."""

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


# --- request id and access log --------------------------------------------------------------


class RequestLogMiddleware(OnHttp):
    """Gives each request an id (or keeps a sane X-Request-ID), logs it once with its outcome."""

    litestar: Any  # the app inside the wrappers, for whoever needs its state (tests, the CLI)

    def __init__(self, app: ASGIApp, clock: Clock) -> None:
        super().__init__(app)
        self.clock = clock

    async def on_http(self, scope: Scope, receive: Receive, send: Send) -> None:
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
