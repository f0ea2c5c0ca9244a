"""The commands that put people in: the first key into a deployment, and a spreadsheet of volunteers."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import msgspec

from schemas.organisations import OrganisationCreate
from services.cli.common import CliError, connect
from services.clock import process_clock
from services.config import Settings, load_settings
from services.pages.session import sign_in_link

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
    from services.people import bootstrap

    if args.create:
        organisation = _checked(
            OrganisationCreate,
            slug=args.organisation,
            name=args.organisation_name or args.organisation,
            kind=args.kind,
            country=args.country,
            default_language=args.language,
            time_zone=args.time_zone,
        )
    else:
        organisation = args.organisation
    if args.person is not None:
        person = args.person
    elif args.name:
        person = _checked(
            PersonCreate, display_name=args.name, roles=[args.role], phone=args.phone, language=args.language
        )
    else:
        raise CliError("give --person ID of an existing member, or --name for a new coordinator")
    conn = await connect(settings)
    try:
        made = await bootstrap.first_key(
            conn, process_clock(settings.clock_start), organisation, person, args.label
        )
    finally:
        await conn.close()
    who, where = made.person, made.organisation
    return (
        made.secret,
        f"token for {who.display_name} (person {who.id}) in {where.name} (organisation {where.id})",
    )


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

    conn = await connect(settings)
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
