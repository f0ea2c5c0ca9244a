"""What every route shares: its connection, the clock, who is asking, lists' pages and windows, and
request bodies checked before any rule (the ASGI wrappers are in middleware.py, the problem answers
in errors.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Annotated, Any

import asyncpg
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency
from litestar.params import FromQuery, PathParameter, QueryParameter

from schemas.common import FieldError
from services.access.service import API_ONLY, API_OR_PAGE, Access, authenticate
from services.clock import YEARS_WORDS, Clock, sane_year
from services.pagination import Cursor
from services.problems import ProblemError, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "nul-character": N_("Something in the form is missing or wrong."),
        "year-out-of-range": N_("Choose a date between 2000 and 2099."),
    }
)

# --- dependencies ---------------------------------------------------------------------------
# Route signatures name what they need with these; Litestar injects them per request.
Conn = NamedDependency[asyncpg.Connection]
ClockDep = NamedDependency[Clock]
PublicBase = NamedDependency[str]  # how people and Twilio reach us: the links we send start so
LinkKey = NamedDependency[bytes | None]  # calendar links are made under it (VOLOPS_LINK_KEY)
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


def provide_clock(state: State) -> Clock:
    return state.clock


def provide_public_base(state: State) -> str:
    return state.settings.public_base


def provide_link_key(state: State) -> bytes | None:
    return state.settings.link_key_bytes


async def provide_token_access(request: Request, conn: Conn, clock: ClockDep) -> Access:
    """An API token; a personal page link only on the routes that say it may (`opt={"page_link":
    True}`): her own shifts, sign-ups, availability and settings, nothing about anyone else."""
    scopes = API_OR_PAGE if request.route_handler.opt.get("page_link") else API_ONLY
    return await authenticate(conn, clock, request.headers.get("authorization"), scopes=scopes)


async def provide_access(org_id: PathId, token_access: TokenAccess) -> Access:
    """Routes under /organisations/{org_id}: a token of another organisation finds nothing (404)."""
    token_access.require_organisation(org_id)
    return token_access


class Call:
    """One request as its handler needs it: the connection, the clock, who is asking, the request
    and how people reach us. Handlers take this one argument (`api`, or a page's `board` or `me`)
    instead of the same few in every signature."""

    __slots__ = ("request", "conn", "clock", "access", "public_base", "link_key")

    def __init__(self, request: Request, conn, clock: Clock, access: Access, public_base: str, link_key):
        self.request = request
        self.conn = conn
        self.clock = clock
        self.access = access
        self.public_base = public_base
        self.link_key = link_key


async def provide_api(
    request: Request,
    conn: Conn,
    clock: ClockDep,
    access: OrgAccess,
    public_base: PublicBase,
    link_key: LinkKey,
) -> Call:
    """Under /organisations/{org_id}: who is asking is checked against the organisation in the path."""
    return Call(request, conn, clock, access, public_base, link_key)


Api = NamedDependency[Call]  # by provide_api, on every route under /organisations/{org_id}


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
