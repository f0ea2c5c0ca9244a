from __future__ import annotations

from email.utils import format_datetime, parsedate_to_datetime

from litestar import Controller, Request, Response, delete, get, post
from litestar.datastructures import State
from litestar.params import FromPath, JSONBody

from schemas.common import Page
from schemas.feeds import FeedCreate, FeedLink
from services.errors import problem
from services.feeds import service, serving
from services.feeds.cache import FeedCaches, Rendered
from services.http import Api, PageAsked, PathId, QueryId, Routes
from services.logging import get_logger
from services.problems import ProblemError

log = get_logger("volops.feeds")
CALENDAR = "text/calendar"  # Litestar adds "; charset=utf-8"


class FeedController(Controller):
    path = "/feeds"
    tags = ["feeds"]

    @get("/", summary="Calendar feeds: any person's for coordinators (?person_id=), else your own")
    async def list_feeds(self, api: Api, person_id: QueryId = None, *, page: PageAsked) -> Page[FeedLink]:
        return await service.list_links(api.conn, api.access, person_id, page)

    @post("/", summary="Make a feed; its https:// and webcal:// URLs are shown once")
    async def create(self, api: Api, data: JSONBody[FeedCreate]) -> FeedLink:
        return await service.create(
            api.conn, api.clock, api.access, data.kind, data.person_id, api.public_base, api.link_key
        )

    @post("/{feed_id:int}/rotate", status_code=200, summary="A new URL for the feed; the old one answers 410")
    async def rotate(self, api: Api, feed_id: PathId) -> FeedLink:
        return await service.rotate(api.conn, api.clock, api.access, feed_id, api.public_base, api.link_key)

    @delete("/{feed_id:int}", status_code=200, summary="Switch a feed off (its URL answers 410)")
    async def revoke(self, api: Api, feed_cache: FeedCaches, feed_id: PathId) -> FeedLink:
        return await service.revoke(api.conn, api.clock, api.access, feed_id, feed_cache)


def _headers(rendered: Rendered) -> dict[str, str]:
    return {
        "ETag": rendered.etag,
        "Last-Modified": format_datetime(rendered.last_modified, usegmt=True),
        "Cache-Control": "private, no-cache",
        "Vary": "Accept-Encoding",
    }


def _unchanged(request: Request, rendered: Rendered) -> bool:
    """304 only when the client holds exactly this feed."""
    tags = request.headers.get("if-none-match")
    if tags is not None:
        return rendered.etag in {t.strip().removeprefix("W/") for t in tags.split(",")} or tags.strip() == "*"
    since = request.headers.get("if-modified-since")
    if since and rendered.dated:
        try:
            return parsedate_to_datetime(since) >= rendered.last_modified
        except (TypeError, ValueError):
            return False
    return False


async def _answer(request: Request, state: State, clock, name: str) -> Response:
    try:
        # The most polled route reads the app's state itself: no dependency resolution per poll.
        rendered = await serving.feed(
            state.pool, clock, state.feed_cache, name.removesuffix(".ics"), state.settings.public_base
        )
    except ProblemError:
        raise
    except Exception as exc:  # never an empty or partial 200: Thunderbird would wipe the calendar
        log.error("feed_failed", error=type(exc).__name__, exc_info=exc)
        return problem(
            request,
            503,
            "Calendar unavailable",
            "The calendar cannot be made right now; try again shortly.",
            headers={"Retry-After": "120"},
        )
    headers = _headers(rendered)
    if _unchanged(request, rendered):
        return Response(b"", status_code=304, headers=headers)
    body = rendered.body
    if "gzip" in request.headers.get("accept-encoding", ""):
        body = rendered.gzipped
        headers["Content-Encoding"] = "gzip"
    headers["Content-Length"] = str(len(body))
    return Response(body, media_type=CALENDAR, headers=headers)


class FeedFetchController(Controller):
    """What calendar apps poll: public, the secret in the address is the key."""

    tags = ["feeds"]
    path = "/"

    @get("/feeds/{name:str}", summary="A calendar feed (the secret URL is the credential)", security=[])
    async def calendar_feed(self, request: Request, state: State, name: FromPath[str]) -> Response:
        # The clock from the state, not injected: the most polled route skips a dependency.
        # HEAD (calendar apps check with it) is this, without the body: services.middleware.HeadAsGet.
        return await _answer(request, state, state.clock, name)


ROUTES = Routes(organisation=(FeedController,), top=(FeedFetchController,))
