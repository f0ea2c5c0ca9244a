from __future__ import annotations

import asyncio
import threading

from litestar import Controller, MediaType, Response, get
from litestar.datastructures import State

from schemas.system import Health, Readiness
from services.config import WORKER_HEALTH_SUFFIX
from services.http import Routes
from services.logging import get_logger

log = get_logger("volops.system")


class SystemController(Controller):
    tags = ["system"]
    path = "/"

    @get("/health", summary="The process is alive", media_type=MediaType.JSON)
    async def health(self) -> Health:
        return Health(status="ok")

    @get("/ping", summary="Plain-text liveness for load balancers", media_type=MediaType.TEXT)
    async def ping(self) -> str:
        return "pong"

    @get("/ready", summary="PostgreSQL and Redis answer (503 otherwise, and while stopping)")
    async def ready(self, state: State) -> Response[Readiness]:
        if DRAINING.is_set():
            stopping = Readiness(status="stopping", postgres="unknown", redis="unknown", worker="unknown")
            return Response(stopping, status_code=503, headers={"Retry-After": "5"})
        postgres = await _check("postgres", state.pool.fetchval("SELECT 1"))
        redis = await _check("redis", state.redis.ping())
        worker = "unknown"
        if redis == "ok":
            # arq's worker refreshes this key every health-check interval; informative only, since
            # the API can serve without a worker.
            beat = await state.redis.get(state.settings.queue_name + WORKER_HEALTH_SUFFIX)
            worker = "running" if beat else "not seen"
        ok = postgres == redis == "ok"
        return Response(
            Readiness(status="ok" if ok else "unavailable", postgres=postgres, redis=redis, worker=worker),
            status_code=200 if ok else 503,
        )


READY_WITHIN_SECONDS = 2.0
DRAINING = threading.Event()  # set by SIGTERM (services.cli): this process is on its way out


def start_draining() -> None:
    DRAINING.set()


async def _check(what: str, probe) -> str:
    # Not asyncio.wait_for: it waits for the cancelled probe to finish, and cancelling a query on a
    # frozen server waits on the server. The probe is left to end by itself.
    task = asyncio.ensure_future(probe)
    done, _ = await asyncio.wait({task}, timeout=READY_WITHIN_SECONDS)
    if task in done and task.exception() is None:
        return "ok"
    if task not in done:
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # nobody waits for it
        task.cancel()
    log.warning(
        "not_ready", dependency=what, error="timeout" if task not in done else type(task.exception()).__name__
    )
    return "unavailable"


ROUTES = Routes(top=(SystemController,))
