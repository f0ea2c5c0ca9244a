"""The commands that run volops: serve, worker, migrate, dev and the fake Twilio."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import threading

from infra import migrate as migrations
from infra import supervisor
from services.cli.common import connect, migrate_database
from services.clock import process_clock
from services.config import ConfigError, Settings, env_name, load_settings


def cmd_fake_twilio(args: argparse.Namespace) -> int:
    import uvicorn

    from infra.fake_twilio import create_fake
    from services.logging import configure_logging

    settings = load_settings()
    configure_logging("WARNING")
    app = create_fake(
        settings.twilio_account_sid,
        settings.twilio_auth_token,
        settings.twilio_from_number,
        args.webhook_base or settings.public_base,
        process_clock(settings.clock_start),
    )
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False)
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    applied = asyncio.run(migrate_database(load_settings()))
    print("applied: " + ", ".join(applied) if applied else "the database is up to date")
    return 0


async def _ensure_migrated(settings: Settings) -> None:
    conn = await connect(settings)
    try:
        missing = await migrations.pending(conn)
    finally:
        await conn.close()
    if missing:
        raise ConfigError(
            f"{env_name('database_url')}: the database lacks {len(missing)} migration(s); run `volops migrate`"
        )


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from services.app import create_asgi
    from services.logging import configure_logging

    settings = load_settings()
    asyncio.run(_ensure_migrated(settings))
    configure_logging(settings.log_level)
    app = create_asgi(settings)
    # The service writes its own Date header, from its clock (see services.http).
    # `volops dev --api N` hands every API process the one listening socket (the kernel shares out
    # the connections); otherwise the process binds host and port itself.
    # The socket is handed over already made, not as `fd=`: uvicorn reads a passed descriptor as a
    # UNIX socket, and asyncio then never sets TCP_NODELAY on what it accepts (Nagle's algorithm
    # meeting delayed ACKs cost every kept-alive request ~40 ms).
    shared = os.environ.get("VOLOPS_LISTEN_FD")
    sockets = [socket.socket(fileno=int(shared))] if shared else None
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; volops decides that itself
    # (middleware.ClientAddress, VOLOPS_TRUSTED_PROXIES), so uvicorn believes no header.
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_config=None,
        access_log=False,
        date_header=False,
        proxy_headers=False,
    )
    _draining_server()(config, settings.drain_seconds).run(sockets=sockets)
    return 0


def _draining_server():
    import uvicorn

    class DrainingServer(uvicorn.Server):
        """SIGTERM: /ready says 503 for `drain` seconds while requests are still served (a load
        balancer moves on), then uvicorn's own graceful stop finishes the requests in flight. A
        second signal stops at once."""

        def __init__(self, config, drain: float):
            super().__init__(config)
            self.drain, self.draining = drain, False

        def handle_exit(self, sig, frame) -> None:
            if self.draining or self.drain <= 0:
                super().handle_exit(sig, frame)
                return
            self.draining = True
            from services.system.routes import start_draining

            start_draining()
            threading.Timer(self.drain, super().handle_exit, (sig, frame)).start()

    return DrainingServer


def cmd_worker(args: argparse.Namespace) -> int:
    from services.logging import configure_logging
    from workers.settings import build_worker, worker_is_healthy

    settings = load_settings()
    if args.check:
        healthy = asyncio.run(worker_is_healthy(settings))
        print("worker: running" if healthy else "worker: no recent health check")
        return 0 if healthy else 1
    asyncio.run(_ensure_migrated(settings))
    configure_logging(settings.log_level)
    build_worker(settings, burst=args.burst).run()
    return 0


def cmd_dev(args: argparse.Namespace) -> int:
    supervisor.run(load_settings(), apis=args.api, workers=args.workers)
    return 0
