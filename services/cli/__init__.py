"""The `volops` command: dev, serve, worker, migrate, issue-token, import-people.

Every failure a person can cause (a setting, an unreachable server, a bad file) ends in one line on
stderr and exit status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys

import msgspec

from infra import embedded, supervisor
from infra import migrate as migrations
from services.cli.common import EXIT_USAGE, CliError
from services.cli.people import cmd_import_people, cmd_issue_token
from services.cli.running import cmd_dev, cmd_fake_twilio, cmd_migrate, cmd_serve, cmd_worker
from services.config import ConfigError
from services.problems import ProblemError
from services.words import LANGUAGES


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
