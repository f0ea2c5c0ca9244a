from __future__ import annotations

import asyncpg
import msgspec

from schemas.scheduling import Place, PlaceCreate
from services.access.service import Access
from services.audit import service as audit
from services.db import rows
from services.places.queries import queries
from services.problems import NotFound, Unprocessable, refusals
from services.words import N_, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"half-coordinates": N_("Give both latitude and longitude, or neither.")})

# What everyone but the place's own coordinators reads instead of a protected address.
HIDDEN_ADDRESS = N_("address from your coordinator")


def hidden_address(language: str) -> str:
    return translate(language, HIDDEN_ADDRESS)


def _hidden(row: asyncpg.Record, viewer: Access) -> bool:
    return row["protected"] and not (
        viewer.is_coordinator and viewer.organisation_id == row["organisation_id"]
    )


async def record_reads(conn: asyncpg.Connection, viewer: Access, shown_rows) -> None:
    """A coordinator shown a protected address: the audit trail says who saw it, when and where
    (once per place in what one answer shows)."""
    if viewer.person_id <= 0:  # the service itself, planning: nobody saw anything
        return
    protected = {r["id"]: r for r in shown_rows if r["protected"] and not _hidden(r, viewer)}
    for row in protected.values():
        await audit.record(conn, row["organisation_id"], "places", row["id"], "read", {"address": "shown"})


def show(row: asyncpg.Record, viewer: Access) -> Place:
    """The place as this viewer may see it: coordinates go with the address. (Where a protected
    address is shown, the caller records the read: `record_reads`.)"""
    hidden = _hidden(row, viewer)
    return Place(
        id=row["id"],
        name=row["name"],
        address=hidden_address(viewer.language) if hidden else row["address"],
        protected=row["protected"],
        latitude=None if hidden else row["latitude"],
        longitude=None if hidden else row["longitude"],
    )


async def list_places(conn: asyncpg.Connection, access: Access) -> list[Place]:
    found = await rows(queries.list_places(conn, organisation_id=access.organisation_id))
    await record_reads(conn, access, found)
    return [show(r, access) for r in found]


async def own_place(conn: asyncpg.Connection, access: Access, place_id: int, field: str = "place_id") -> int:
    """The place's id when it is one of this organisation's; 422 naming the field otherwise."""
    row = await queries.get_place(conn, id=place_id)
    if row is None or row["organisation_id"] != access.organisation_id:
        raise Unprocessable(
            f"{field}: there is no place {place_id} in this organisation.", code="unknown-place"
        )
    return row["id"]


async def get(conn: asyncpg.Connection, access: Access, place_id: int) -> Place:
    """One of the organisation's places, for its coordinators (protected address included)."""
    access.require_coordinator("change places")
    row = await queries.get_place(conn, id=place_id)
    if row is None or row["organisation_id"] != access.organisation_id:
        raise NotFound(f"There is no place {place_id}.", code="place-not-found")
    await record_reads(conn, access, [row])
    return show(row, access)


async def create(conn: asyncpg.Connection, access: Access, data: PlaceCreate) -> Place:
    access.require_coordinator("add places")
    _check_coordinates(data)
    row = await queries.insert_place(
        conn, organisation_id=access.organisation_id, **msgspec.structs.asdict(data)
    )
    return show(row, access)


async def update(conn: asyncpg.Connection, access: Access, place_id: int, data: PlaceCreate) -> Place:
    access.require_coordinator("change places")
    row = await queries.get_place(conn, id=place_id)
    if row is None or row["organisation_id"] != access.organisation_id:
        raise NotFound(f"There is no place {place_id}.", code="place-not-found")
    _check_coordinates(data)
    return show(await queries.update_place(conn, id=place_id, **msgspec.structs.asdict(data)), access)


def _check_coordinates(data: PlaceCreate) -> None:
    if (data.latitude is None) != (data.longitude is None):
        raise Unprocessable("Give both latitude and longitude, or neither.", code="half-coordinates")


async def shown(conn: asyncpg.Connection, place_id: int | None, viewer: Access) -> Place | None:
    """A place by id as this viewer may see it (a protected address reads "from your coordinator")."""
    row = await queries.get_place(conn, id=place_id) if place_id is not None else None
    if row is None:
        return None
    await record_reads(conn, viewer, [row])
    return show(row, viewer)
