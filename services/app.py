"""The Litestar application factory: every route, dependency and error handler in one place."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import swagger_ui_bundle
from arq import create_pool as create_redis_pool
from litestar import Litestar, Request, Response, Router, get
from litestar.config.compression import CompressionConfig
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router

from services import errors, http, middleware, openapi
from services.activities.routes import ROUTES as activities
from services.assignments.routes import ROUTES as assignments
from services.audit.routes import ROUTES as trail
from services.availability.routes import ROUTES as availability
from services.board.routes import ROUTES as board
from services.bookings.routes import ROUTES as bookings
from services.checkins.routes import ROUTES as checkins
from services.clock import Clock, process_clock
from services.config import ConfigError, Settings, env_name
from services.connections import redis_settings
from services.db import create_pool
from services.feeds.cache import FeedCache, provide_feed_cache
from services.feeds.routes import ROUTES as feeds
from services.hours.routes import ROUTES as hours
from services.inbox.routes import ROUTES as inbox
from services.my.routes import ROUTES as my
from services.occurrences.routes import ROUTES as occurrences
from services.organisations.routes import ROUTES as organisations
from services.pages import render as pages
from services.pages.form_cookie import FormCookie
from services.pages.routes import ROUTES as pages_routes
from services.partner.routes import ROUTES as partner
from services.partnerships.routes import ROUTES as partnerships
from services.people.routes import ROUTES as people
from services.places.routes import ROUTES as places
from services.privacy.routes import ROUTES as privacy
from services.problems import NotFound, ProblemError, Unauthorized
from services.qualifications.routes import ROUTES as qualifications
from services.rota.routes import ROUTES as rota
from services.sms.routes import ROUTES as sms
from services.system import metrics
from services.system.routes import ROUTES as system
from services.tokens.routes import ROUTES as tokens

CONTEXTS = (
    system,
    organisations,
    partnerships,
    people,
    tokens,
    qualifications,
    places,
    activities,
    occurrences,
    assignments,
    hours,
    availability,
    feeds,
    sms,
    inbox,
    rota,
    bookings,
    checkins,
    trail,
    privacy,
    pages_routes,
    board,
    my,
    partner,
)

# Pages are gzipped (a phone on a slow network); the API, calendar feeds (which gzip themselves),
# metrics and health checks go out as they are for their clients.
UNCOMPRESSED = ["^/organisations", "^/feeds", "^/metrics", "^/health", "^/ready", "^/ping", "^/me$", "^/me/"]
PAGE_COMPRESSION = CompressionConfig(backend="gzip", minimum_size=1024, exclude=UNCOMPRESSED)


class MetricsController(PrometheusController):
    path = "/metrics"
    tags = ["system"]

    @get(security=[{"metrics": []}])
    async def get(self, request: Request) -> Response:
        """Request figures, and the operators' figures read now (services/system/metrics.py).
        Only for the operators' Prometheus, with VOLOPS_METRICS_TOKEN as its bearer: the figures
        say how many texts wait and how busy the service is, nobody else's business. Without that
        setting there is no /metrics."""
        expected = request.app.state.settings.metrics_token
        if expected is None:
            raise NotFound("There is nothing here.", code="not-found")
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not secrets.compare_digest(given.encode(), expected.encode()):
            raise Unauthorized(
                "Send VOLOPS_METRICS_TOKEN as 'Authorization: Bearer <token>'.", code="bad-token"
            )
        await metrics.refresh(request.app.state)
        return await PrometheusController.get.fn(self)


SWAGGER_ASSETS = "/static/swagger-ui"


def swagger_assets() -> Router:
    """Swagger UI's files from the swagger-ui-bundle wheel: the docs work with no internet."""
    return create_static_files_router(
        path=SWAGGER_ASSETS, directories=[swagger_ui_bundle.swagger_ui_path], include_in_schema=False
    )


def swagger_ui() -> SwaggerRenderPlugin:
    return SwaggerRenderPlugin(
        path=["/swagger", "/"],
        js_url=f"{SWAGGER_ASSETS}/swagger-ui-bundle.js",
        css_url=f"{SWAGGER_ASSETS}/swagger-ui.css",
        standalone_preset_js_url=f"{SWAGGER_ASSETS}/swagger-ui-standalone-preset.js",
        favicon=f'<link rel="icon" href="{SWAGGER_ASSETS}/favicon-32x32.png">',
    )


# The API answers problems as application/problem+json; pages answer with their own handlers.
EXCEPTION_HANDLERS = {
    ProblemError: errors.on_problem,
    HTTPException: errors.on_http_error,
    asyncpg.IntegrityConstraintViolationError: errors.on_integrity_error,
    asyncpg.DataError: errors.on_data_error,
    **{unavailable: errors.on_unavailable for unavailable in errors.UNAVAILABLE},
    Exception: errors.on_unexpected,
}


def openapi_config() -> OpenAPIConfig:
    return OpenAPIConfig(
        title="volops",
        version="0.1.0",
        description="Scheduling and logistics for volunteer operations. Authenticate with "
        "`Authorization: Bearer <token>` (issue the first with `volops issue-token`).",
        path="/schema",
        render_plugins=[swagger_ui()],
        components=Components(
            security_schemes={
                "token": SecurityScheme(type="http", scheme="bearer"),
                "metrics": SecurityScheme(
                    type="http", scheme="bearer", description="VOLOPS_METRICS_TOKEN, for Prometheus"
                ),
            }
        ),
    )


def require_database(settings: Settings) -> str:
    if not settings.database_url:
        raise ConfigError(f"{env_name('database_url')}: not set (`volops dev` starts an embedded one)")
    return settings.database_url


# What any route may ask for by name (routes under /organisations/{org_id} also get `access`, `api`).
DEPENDENCIES = {
    "conn": Provide(http.provide_conn),
    "clock": Provide(http.provide_clock, sync_to_thread=False),
    "public_base": Provide(http.provide_public_base, sync_to_thread=False),
    "link_key": Provide(http.provide_link_key, sync_to_thread=False),
    "feed_cache": Provide(provide_feed_cache, sync_to_thread=False),
    "token_access": Provide(http.provide_token_access),
    "page": Provide(http.provide_page, sync_to_thread=False),
    "window": Provide(http.provide_window, sync_to_thread=False),
}


def create_app(settings: Settings, clock: Clock | None = None) -> Litestar:
    database_url, queue = require_database(settings), redis_settings(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.pool = await create_pool(
            database_url,
            command_timeout=settings.database_timeout_seconds,
            pool_mode=settings.database_pool_mode,
        )
        app.state.redis = await create_redis_pool(queue)
        app.state.feed_cache = FeedCache()
        await app.state.feed_cache.listen(settings.session_database_url or database_url)
        try:
            yield
        finally:
            await app.state.feed_cache.close()
            await app.state.redis.aclose()
            await app.state.pool.close()

    organisation = Router(
        path="/organisations/{org_id:int}",
        dependencies={"access": Provide(http.provide_access), "api": Provide(http.provide_api)},
        security=[{"token": []}],
        route_handlers=[handler for context in CONTEXTS for handler in context.organisation],
    )
    app = Litestar(
        route_handlers=[
            MetricsController,
            organisation,
            *(handler for context in CONTEXTS for handler in context.top),
            swagger_assets(),
        ],
        template_config=pages.template_config(),
        lifespan=[lifespan],
        state=State({"settings": settings, "clock": clock or process_clock(settings.clock_start)}),
        logging_config=None,  # services.logging configures JSON logs for the process
        dependencies=DEPENDENCIES,
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[
            PrometheusConfig(app_name="volops", group_path=True).middleware,
            middleware.ReleaseConnection,
            FormCookie,
        ],
        compression_config=PAGE_COMPRESSION,
        request_max_body_size=settings.max_body_bytes,
        request_class=http.CheckedRequest,
        openapi_config=openapi_config(),
        debug=False,
    )
    openapi.complete(app.openapi_schema)  # built once here, served as completed
    return app


def create_asgi(settings: Settings, clock: Clock | None = None) -> middleware.RequestLogMiddleware:
    """The app as served: the request-id/log wrapper sits outside Litestar so that it also sees
    requests no route matched (Litestar runs its own middleware only for matched routes)."""
    app = create_app(settings, clock)
    https = settings.public_base.startswith("https:")
    inner = middleware.SecurityHeaders(
        middleware.HeadAsGet(middleware.ClientAddress(app, settings.trusted_proxies)), https
    )
    served = middleware.RequestLogMiddleware(inner, app.state.clock)
    served.litestar = app
    return served
