"""The Litestar application factory: every route, dependency and error handler in one place."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import asyncpg
import swagger_ui_bundle
from arq import create_pool as create_redis_pool
from arq.connections import RedisSettings
from litestar import Litestar, Router
from litestar.datastructures import State
from litestar.di import Provide
from litestar.exceptions import HTTPException
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.plugins.prometheus import PrometheusConfig, PrometheusController
from litestar.static_files import create_static_files_router

from services import http, openapi
from services.access.routes import TokenController, issue_token, me
from services.activities.routes import ActivityController
from services.assignments.routes import (
    assign,
    end_assignment,
    mark_attendance,
    my_assignments,
    open_occurrences,
    sign_up,
)
from services.availability.routes import get_availability, replace_availability
from services.bookings import pages as booking_pages
from services.bookings.routes import (
    answer_booking,
    ask_for_room,
    create_venue,
    get_booking_request,
    list_booking_requests,
    list_incoming_bookings,
    list_room_problems,
    list_venues,
)
from services.clock import Clock, process_clock
from services.config import ConfigError, Settings, env_name
from services.db import create_pool
from services.feeds.cache import FeedCache
from services.feeds.routes import FeedController, calendar_feed, calendar_feed_head
from services.hours.routes import hours_report
from services.occurrences.routes import OccurrenceController
from services.organisations.routes import get_organisation, update_organisation
from services.people.routes import PeopleController
from services.places.routes import PlaceController
from services.problems import ProblemError
from services.qualifications.routes import (
    ExpiringQualificationController,
    PersonQualificationController,
    QualificationTypeController,
)
from services.rota import pages as rota_pages
from services.rota.routes import (
    ask_for_cover,
    autofill_apply,
    autofill_preview,
    list_candidates,
    list_gaps,
    list_swaps,
    offer_swap,
    set_monthly_maximum,
    take_swap,
    withdraw_swap,
)
from services.sms.routes import inbound_sms, send_sms_again, sms_problems, status_callback
from services.system.routes import health, ping, ready


class MetricsController(PrometheusController):
    path = "/metrics"
    tags = ["system"]


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


def require_urls(settings: Settings) -> tuple[str, str]:
    if not settings.database_url:
        raise ConfigError(f"{env_name('database_url')}: not set (`volops dev` starts an embedded one)")
    if not settings.redis_url:
        raise ConfigError(f"{env_name('redis_url')}: not set (`volops dev` starts an embedded one)")
    return settings.database_url, settings.redis_url


def create_app(settings: Settings, clock: Clock | None = None) -> Litestar:
    database_url, redis_url = require_urls(settings)

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncIterator[None]:
        app.state.pool = await create_pool(database_url, command_timeout=settings.database_timeout_seconds)
        app.state.redis = await create_redis_pool(RedisSettings.from_dsn(redis_url))
        app.state.feed_cache = FeedCache()
        await app.state.feed_cache.listen(database_url)
        try:
            yield
        finally:
            await app.state.feed_cache.close()
            await app.state.redis.aclose()
            await app.state.pool.close()

    organisation = Router(
        path="/organisations/{org_id:int}",
        dependencies={"access": Provide(http.provide_access)},
        security=[{"token": []}],
        route_handlers=[
            get_organisation,
            update_organisation,
            PeopleController,
            TokenController,
            issue_token,
            QualificationTypeController,
            PersonQualificationController,
            ExpiringQualificationController,
            PlaceController,
            ActivityController,
            OccurrenceController,
            sign_up,
            assign,
            end_assignment,
            mark_attendance,
            my_assignments,
            open_occurrences,
            hours_report,
            get_availability,
            replace_availability,
            FeedController,
            sms_problems,
            send_sms_again,
            list_gaps,
            list_candidates,
            set_monthly_maximum,
            ask_for_cover,
            offer_swap,
            list_swaps,
            take_swap,
            withdraw_swap,
            autofill_preview,
            autofill_apply,
            create_venue,
            list_venues,
            ask_for_room,
            list_booking_requests,
            get_booking_request,
            list_room_problems,
            list_incoming_bookings,
            answer_booking,
        ],
    )
    app = Litestar(
        route_handlers=[
            health,
            ping,
            ready,
            MetricsController,
            me,
            organisation,
            calendar_feed,
            calendar_feed_head,
            inbound_sms,
            status_callback,
            swagger_assets(),
            rota_pages.router(),
            booking_pages.router(),
            booking_pages.board_router(),
        ],
        lifespan=[lifespan],
        state=State({"settings": settings, "clock": clock or process_clock(settings.clock_start)}),
        logging_config=None,  # services.logging configures JSON logs for the process
        dependencies={
            "conn": Provide(http.provide_conn),
            "clock": Provide(http.provide_clock, sync_to_thread=False),
            "token_access": Provide(http.provide_token_access),
        },
        exception_handlers={
            ProblemError: http.on_problem,
            HTTPException: http.on_http_error,
            asyncpg.IntegrityConstraintViolationError: http.on_integrity_error,
            asyncpg.DataError: http.on_data_error,
            **{unavailable: http.on_unavailable for unavailable in http.UNAVAILABLE},
            Exception: http.on_unexpected,
        },
        middleware=[PrometheusConfig(app_name="volops", group_path=True).middleware, http.ReleaseConnection],
        request_max_body_size=settings.max_body_bytes,
        request_class=http.CheckedRequest,
        openapi_config=OpenAPIConfig(
            title="volops",
            version="0.1.0",
            description="Scheduling and logistics for volunteer operations. Authenticate with "
            "`Authorization: Bearer <token>` (issue the first with `volops issue-token`).",
            path="/schema",
            render_plugins=[swagger_ui()],
            components=Components(security_schemes={"token": SecurityScheme(type="http", scheme="bearer")}),
        ),
        debug=False,
    )
    openapi.complete(app.openapi_schema)  # built once here, served as completed
    return app


def create_asgi(settings: Settings, clock: Clock | None = None) -> http.RequestLogMiddleware:
    """The app as served: the request-id/log wrapper sits outside Litestar so that it also sees
    requests no route matched (Litestar runs its own middleware only for matched routes)."""
    app = create_app(settings, clock)
    return http.RequestLogMiddleware(app, app.state.clock)
