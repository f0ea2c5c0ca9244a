from __future__ import annotations

import asyncpg
import msgspec

from schemas.organisations import Organisation, OrganisationCreate, OrganisationUpdate
from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.occurrences import service as occurrences
from services.organisations.queries import queries
from services.problems import Conflict, NotFound, refusals
from services.timezones import check_time_zone
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"organisation-not-found": N_("There is no organisation with that short name.")})


def to_organisation(row: asyncpg.Record) -> Organisation:
    return as_struct(Organisation)(row)


async def get(conn: asyncpg.Connection, access: Access, organisation_id: int) -> Organisation:
    access.require_organisation(organisation_id)
    row = await queries.get_organisation(conn, id=organisation_id)
    if row is None:  # deleted while a token still named it
        raise NotFound(f"There is no organisation {organisation_id}.", code="organisation-not-found")
    return to_organisation(row)


async def name_of(conn: asyncpg.Connection, organisation_id: int) -> str:
    """An organisation's name, for a person choosing where to sign in."""
    row = await queries.get_organisation(conn, id=organisation_id)
    return row["name"] if row else ""


async def find_by_slug_or_id(conn: asyncpg.Connection, ref: str) -> Organisation:
    """For the command line, where a person types a slug (or an id)."""
    row = await queries.get_organisation_by_slug(conn, slug=ref)
    if row is None and ref.isdigit():
        row = await queries.get_organisation(conn, id=int(ref))
    if row is None:
        raise NotFound(f"There is no organisation {ref!r}.", code="organisation-not-found")
    return to_organisation(row)


class Named(msgspec.Struct, frozen=True):
    id: int
    slug: str
    name: str


async def partners_named(conn: asyncpg.Connection, ids: list[int]) -> list[Named]:
    """Id, slug and name of the organisations a coordinator shares an activity with."""
    return [as_struct(Named)(row) for row in await rows(queries.names_of(conn, ids=ids))]


async def create(conn: asyncpg.Connection, data: OrganisationCreate) -> Organisation:
    """Only from the command line (bootstrap): no API token may create organisations."""
    check_time_zone(data.time_zone)
    try:
        row = await queries.insert_organisation(conn, **msgspec.structs.asdict(data))
    except asyncpg.UniqueViolationError:
        raise Conflict(
            f"An organisation with slug {data.slug!r} exists already.", code="slug-taken"
        ) from None
    return to_organisation(row)


async def update(
    conn: asyncpg.Connection, clock: Clock, access: Access, organisation_id: int, data: OrganisationUpdate
) -> Organisation:
    access.require_organisation(organisation_id)
    changing = {name for name, value in msgspec.structs.asdict(data).items() if value is not None}
    # A partner's contact (a verger, no coordinator) decides how long they take to answer.
    if not ("partner_contact" in access.roles and changing <= {"booking_reminder_days"}):
        access.require_coordinator("change the organisation")
    if data.time_zone is not None:
        check_time_zone(data.time_zone)
    row = await queries.update_organisation(conn, id=organisation_id, **msgspec.structs.asdict(data))
    if data.horizon_weeks is not None:
        await occurrences.materialise_organisation(conn, clock, organisation_id)
    return to_organisation(row)
