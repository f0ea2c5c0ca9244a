"""The `volops` command: dev, serve, worker, migrate, issue-token, import-people.

Every failure a person can cause (a setting, an unreachable server, a bad file) ends in one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import threading
from pathlib import Path

import asyncpg
import msgspec

from infra import embedded, supervisor
from infra import migrate as migrations
from schemas.organisations import OrganisationCreate
from services.clock import process_clock
from services.config import ConfigError, Settings, check_reachable, env_name, load_settings
from services.problems import ProblemError
from services.web.session import sign_in_link
from services.words import LANGUAGES

EXIT_USAGE = 2


class CliError(Exception):
    pass


def _database_url(settings: Settings) -> str:
    """Migrations hold a session lock, so they go to PostgreSQL itself, past any pooler."""
    if not settings.session_database_url:
        raise ConfigError(f"{env_name('database_url')}: not set (`volops dev` starts an embedded one)")
    return settings.session_database_url


async def _connect(settings: Settings) -> asyncpg.Connection:
    await check_reachable(settings)
    return await asyncpg.connect(_database_url(settings), server_settings={"timezone": "UTC"})


# --- migrate ---------------------------------------------------------------------------------


async def _migrate(settings: Settings) -> list[str]:
    conn = await _connect(settings)
    try:
        return await migrations.migrate(conn)
    finally:
        await conn.close()


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
    applied = asyncio.run(_migrate(load_settings()))
    print("applied: " + ", ".join(applied) if applied else "the database is up to date")
    return 0


# --- serve and worker -------------------------------------------------------------------------


async def _ensure_migrated(settings: Settings) -> None:
    conn = await _connect(settings)
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
    shared = os.environ.get("VOLOPS_LISTEN_FD")
    where = {"fd": int(shared)} if shared else {"host": settings.host, "port": settings.port}
    # uvicorn believes X-Forwarded-For from 127.0.0.1 by default; volops decides that itself
    # (middleware.ClientAddress, VOLOPS_TRUSTED_PROXIES), so uvicorn believes no header.
    config = uvicorn.Config(
        app, **where, log_config=None, access_log=False, date_header=False, proxy_headers=False
    )
    _draining_server()(config, settings.drain_seconds).run()
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


# --- tokens and people ------------------------------------------------------------------------


_OPTION_HINTS = {
    "slug": "ORG: a new organisation's short name is 2-63 lowercase letters, digits or '-', like malmo-shelter",
    "country": "--country: two capital letters, like SE",
    "name": "--organisation-name: 1-200 characters",
    "display_name": "--name: 1-200 characters",
}


def _checked(contract: type, **values):
    """The command line's values checked against the same contract as the API's."""
    try:
        return msgspec.convert(values, contract)
    except msgspec.ValidationError as exc:
        field = str(exc).rpartition("$.")[2].rstrip("`").split("[")[0]
        raise CliError(f"{_OPTION_HINTS.get(field, str(exc))} (got {values.get(field)!r})") from None


async def _issue_token(settings: Settings, args: argparse.Namespace) -> tuple[str, str]:
    from schemas.people import PersonCreate
    from services.access import service as access
    from services.organisations import service as organisations
    from services.people import service as people

    clock = process_clock(settings.clock_start)
    conn = await _connect(settings)
    try:
        async with conn.transaction():
            if args.create:
                organisation = await organisations.create(
                    conn,
                    _checked(
                        OrganisationCreate,
                        slug=args.organisation,
                        name=args.organisation_name or args.organisation,
                        kind=args.kind,
                        country=args.country,
                        default_language=args.language,
                        time_zone=args.time_zone,
                    ),
                )
            else:
                organisation = await organisations.find_by_slug_or_id(conn, args.organisation)
            bootstrap = access.Access.without_token(0, organisation.id, "coordinator")
            if args.person is not None:
                person = await people.get_person(conn, bootstrap, args.person)
            else:
                if not args.name:
                    raise CliError("give --person ID of an existing member, or --name for a new coordinator")
                person = await people.create_person(
                    conn,
                    clock,
                    bootstrap,
                    _checked(
                        PersonCreate,
                        display_name=args.name,
                        roles=[args.role],
                        phone=args.phone,
                        language=args.language,
                    ),
                )
            _row, secret = await access.issue_token(
                conn, clock, organisation_id=organisation.id, person_id=person.id, label=args.label
            )
        return (
            secret,
            f"token for {person.display_name} (person {person.id}) in {organisation.name} (organisation {organisation.id})",
        )
    finally:
        await conn.close()


def cmd_issue_token(args: argparse.Namespace) -> int:
    settings = load_settings()
    secret, what = asyncio.run(_issue_token(settings, args))
    print(what, file=sys.stderr)
    print(
        f"gap board sign-in link (coordinators): {sign_in_link(settings.public_base, secret)}",
        file=sys.stderr,
    )
    print(secret)
    return 0


async def _import_people(settings: Settings, args: argparse.Namespace):
    from services.organisations import service as organisations
    from services.people import importing

    conn = await _connect(settings)
    try:
        organisation = await organisations.find_by_slug_or_id(conn, args.organisation)
        return await importing.import_people(
            conn,
            process_clock(settings.clock_start),
            organisation_id=organisation.id,
            data=Path(args.file).read_bytes(),
            skip_invalid=args.skip_invalid,
        )
    finally:
        await conn.close()


def cmd_import_people(args: argparse.Namespace) -> int:
    if not Path(args.file).is_file():
        raise CliError(f"{args.file}: no such file")
    report = asyncio.run(_import_people(load_settings(), args))
    for error in report.errors:
        print(f"row {error.row}: {error.field}: {error.message}", file=sys.stderr)
    if not report.imported:
        print(
            f"nothing imported: {len({e.row for e in report.errors})} of {report.rows} rows have problems"
            " (fix them, or use --skip-invalid)",
            file=sys.stderr,
        )
        return 1
    print(
        f"{report.rows} rows: {report.created} created, {report.updated} updated,"
        f" {report.unchanged} unchanged, {report.skipped} skipped"
    )
    return 0


# --- dev --------------------------------------------------------------------------------------


def cmd_dev(args: argparse.Namespace) -> int:
    supervisor.run(load_settings(), apis=args.api, workers=args.workers)
    return 0


# --- entry point ------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="volops", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)

    dev = commands.add_parser(
        "dev", help="run everything locally: embedded PostgreSQL/Redis, API, worker, demo data"
    )
    dev.add_argument(
        "--api", type=int, default=1, choices=range(1, 9), metavar="N", help="API processes on the one port"
    )
    dev.add_argument(
        "--workers", type=int, default=1, choices=range(1, 9), metavar="N", help="worker processes"
    )
    dev.set_defaults(run=cmd_dev)
    commands.add_parser("serve", help="run the HTTP API").set_defaults(run=cmd_serve)
    worker = commands.add_parser("worker", help="run the background worker")
    worker.add_argument("--check", action="store_true", help="exit 0 if a worker reported recently")
    worker.add_argument("--burst", action="store_true", help="run queued jobs, then exit")
    worker.set_defaults(run=cmd_worker)
    commands.add_parser("migrate", help="apply database migrations").set_defaults(run=cmd_migrate)
    fake = commands.add_parser("fake-twilio", help="run the fake Twilio (infra/fake_twilio.py)")
    fake.add_argument("--port", type=int, default=8025)
    fake.add_argument("--webhook-base", help="where volops listens (default: VOLOPS_PUBLIC_URL)")
    fake.set_defaults(run=cmd_fake_twilio)

    token = commands.add_parser("issue-token", help="issue an API token (bootstraps the first coordinator)")
    token.add_argument("organisation", help="organisation slug or id")
    token.add_argument("--person", type=int, help="id of an existing member")
    token.add_argument("--name", help="create a new person with this name")
    token.add_argument("--phone", help="the new person's phone")
    token.add_argument(
        "--role", default="coordinator", choices=["coordinator", "volunteer", "partner_contact"]
    )
    token.add_argument("--label", default="", help="what the token is for")
    token.add_argument("--create", action="store_true", help="create the organisation too")
    token.add_argument("--organisation-name")
    token.add_argument(
        "--kind",
        default="support_organisation",
        choices=["support_organisation", "municipal_team", "partner_congregation"],
    )
    token.add_argument("--country", default="SE", help="ISO country for local phone numbers")
    token.add_argument("--language", default="sv", choices=LANGUAGES)
    token.add_argument("--time-zone", default="Europe/Stockholm")
    token.set_defaults(run=cmd_issue_token)

    people = commands.add_parser("import-people", help="import volunteers from a CSV spreadsheet export")
    people.add_argument("organisation", help="organisation slug or id")
    people.add_argument("file", help="CSV file: name, phone, language, qualifications, sms")
    people.add_argument("--skip-invalid", action="store_true", help="import the good rows, skip the bad ones")
    people.set_defaults(run=cmd_import_people)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except (
        ConfigError,
        CliError,
        migrations.MigrationError,
        embedded.EmbeddedError,
        supervisor.ChildFailed,
    ) as exc:
        print(f"volops: {exc}", file=sys.stderr)
    except ProblemError as exc:
        print(f"volops: {exc.detail}", file=sys.stderr)
    except msgspec.ValidationError as exc:
        print(f"volops: {exc}", file=sys.stderr)
    except KeyboardInterrupt:
        return 130
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
