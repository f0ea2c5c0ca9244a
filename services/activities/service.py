"""Activities (series): planned, listed and read, with their roles, shares and pickup details.
Changes to a series are in changes.py, to its roles in roles.py.

Creating one materialises its occurrences in the same transaction (services.occurrences.service),
so the rows that feeds, reminders and gaps read are never behind the series.
"""

from __future__ import annotations

import asyncpg
import msgspec

from schemas.common import Page
from schemas.scheduling import Activity, ActivityCreate, FoodPickup, Role, RoleSpec
from services.access.service import Access
from services.activities.queries import queries
from services.activities.rules import check_roles, new_series, refused
from services.clock import Clock
from services.db import as_struct, rows
from services.occurrences import service as occurrences
from services.pagination import Cursor
from services.places import service as places
from services.problems import NotFound, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "activity-not-found": N_("There is no such activity here."),
        "not-a-partner": N_(
            "You can share only with a partner organisation: ask for a partnership under Partners first."
        ),
        "not-a-pickup": N_("Only a food pickup has pickup details."),
    }
)


async def _to_activity(conn: asyncpg.Connection, row: asyncpg.Record) -> Activity:
    roles = await rows(queries.roles_of(conn, activity_ids=[row["id"]]))
    details = _details(row)
    return as_struct(Activity)(
        row,
        rdates=list(row["rdates"]),
        exdates=list(row["exdates"]),
        food_pickup=msgspec.convert(details["food_pickup"], FoodPickup) if "food_pickup" in details else None,
        participant_capacity=row["participant_capacity"],
        shared_with=list(row["shared_with"]),
        roles=[as_struct(Role)(r) for r in roles],
    )


async def _visible(conn: asyncpg.Connection, access: Access, activity_id: int) -> asyncpg.Record:
    row = await queries.get_activity(conn, id=activity_id)
    if not access.sees(row):
        raise NotFound(f"There is no activity {activity_id}.", code="activity-not-found")
    return row


async def _owned(conn: asyncpg.Connection, access: Access, activity_id: int, doing: str) -> asyncpg.Record:
    row = await _visible(conn, access, activity_id)
    if row["organisation_id"] != access.organisation_id:
        raise NotFound(f"There is no activity {activity_id} of this organisation.", code="activity-not-found")
    access.require_coordinator(doing)
    return row


async def visible(conn: asyncpg.Connection, access: Access, activity_id: int) -> Activity:
    """The activity if it is this organisation's own or shared with it; 404 otherwise."""
    return await _to_activity(conn, await _visible(conn, access, activity_id))


async def owned(conn: asyncpg.Connection, access: Access, activity_id: int, doing: str) -> Activity:
    """The organisation's own activity, for a coordinator doing this; 404 or 403 otherwise."""
    return await _to_activity(conn, await _owned(conn, access, activity_id, doing))


async def check_roles_of(conn: asyncpg.Connection, access: Access, kind: str, roles: list[RoleSpec]) -> None:
    """A series' roles as they would be: the rules, and only this organisation's qualifications."""
    check_roles(kind, roles)
    wanted = {q for r in roles for q in r.qualification_type_ids}
    found = {
        r["id"]
        for r in await rows(
            queries.own_qualification_types(conn, organisation_id=access.organisation_id, ids=list(wanted))
        )
    }
    if wanted - found:
        raise refused(
            "roles", f"unknown qualification type(s) {sorted(wanted - found)}", "unknown-qualification"
        )


async def check_partners(conn: asyncpg.Connection, access: Access, partners: list[int]) -> list[int]:
    """Sharing needs both sides: only with an organisation whose coordinator accepted a partnership
    (services/partnerships). Any other, existing or not, is refused alike."""
    partners = sorted(set(partners) - {access.organisation_id})
    found = {
        r["id"]
        for r in await rows(
            queries.accepted_partners(conn, organisation_id=access.organisation_id, ids=partners)
        )
    }
    if set(partners) - found:
        raise refused(
            "shared_with",
            f"not a partner organisation: {sorted(set(partners) - found)}; ask for a partnership first",
            "not-a-partner",
        )
    return partners


async def unshare_between(conn: asyncpg.Connection, one: int, other: int) -> None:
    """Their partnership ended: no activity of either is shared with the other any more."""
    await queries.unshare_between(conn, one=one, other=other)


async def insert_roles(conn: asyncpg.Connection, activity_id: int, roles: list[RoleSpec]) -> None:
    """The roles written with what each needs (after check_roles_of)."""
    for role in roles:
        role_id = (
            await queries.insert_role(
                conn,
                activity_id=activity_id,
                name=role.name,
                min_people=role.min_people,
                max_people=role.max_people,
            )
        )["id"]
        for type_id in role.qualification_type_ids:
            await queries.add_role_qualification(
                conn, activity_role_id=role_id, qualification_type_id=type_id
            )


async def with_pickup(
    conn: asyncpg.Connection, access: Access, kind: str, details: dict, pickup: FoodPickup | None
) -> dict:
    """The activity's details with these pickup details (none given: as they were)."""
    if pickup is None:
        return details
    if kind != "food_pickup":
        raise refused("food_pickup", "only a food_pickup activity has pickup details", "not-a-pickup")
    for field in ("pickup_place_id", "dropoff_place_id"):
        place_id = getattr(pickup, field)
        if place_id is not None:
            await places.own_place(conn, access, place_id, f"food_pickup.{field}")
    return details | {"food_pickup": msgspec.to_builtins(pickup)}


def _details(row: asyncpg.Record) -> dict:
    return row["details"] if isinstance(row["details"], dict) else msgspec.json.decode(row["details"])


def details_of(activity: Activity) -> dict:
    """Its details as stored (a pickup's), to change."""
    return {"food_pickup": msgspec.to_builtins(activity.food_pickup)} if activity.food_pickup else {}


async def set_shares(conn: asyncpg.Connection, activity_id: int, partners: list[int]) -> None:
    await queries.clear_shares(conn, activity_id=activity_id)
    for partner in partners:
        await queries.add_share(conn, activity_id=activity_id, organisation_id=partner)


# A series' own columns, as planned or changed (with ends_on, which a plan leaves open).
SERIES_FIELDS = (
    "title",
    "description",
    "start_local",
    "duration_minutes",
    "rrule",
    "rdates",
    "exdates",
    "place_id",
    "participant_capacity",
)


async def insert_series(
    conn: asyncpg.Connection,
    clock: Clock,
    organisation_id: int,
    kind: str,
    time_zone: str,
    details: dict,
    series: dict,
    roles: list[RoleSpec],
    partners: list[int],
    split_from: int | None = None,
) -> int:
    """A series with its roles and partner shares; its dates are the caller's to make."""
    activity_id = (
        await queries.insert_activity(
            conn,
            organisation_id=organisation_id,
            kind=kind,
            time_zone=time_zone,
            details=msgspec.json.encode(details).decode(),
            split_from=split_from,
            now=clock.now(),
            **series,
        )
    )["id"]
    await insert_roles(conn, activity_id, roles)
    await set_shares(conn, activity_id, partners)
    return activity_id


async def create(conn: asyncpg.Connection, clock: Clock, access: Access, data: ActivityCreate) -> Activity:
    access.require_coordinator("plan activities")
    new_series(data)  # checked before anything is written
    await check_roles_of(conn, access, data.kind, data.roles)
    partners = await check_partners(conn, access, data.shared_with)
    details = await with_pickup(conn, access, data.kind, {}, data.food_pickup)
    if data.place_id is not None:
        await places.own_place(conn, access, data.place_id)
    series = {field: getattr(data, field) for field in SERIES_FIELDS} | {"ends_on": None}
    async with conn.transaction():
        activity_id = await insert_series(
            conn,
            clock,
            access.organisation_id,
            data.kind,
            data.time_zone,
            details,
            series,
            data.roles,
            partners,
        )
        await occurrences.materialise(conn, clock, [activity_id])
    return await _to_activity(conn, await queries.get_activity(conn, id=activity_id))


async def list_activities(conn: asyncpg.Connection, access: Access, cursor: Cursor) -> Page[Activity]:
    """The organisation's activities and those shared with it, a page at a time."""
    records = await rows(
        queries.list_visible_activities(
            conn, organisation_id=access.organisation_id, after_id=cursor.after_id, limit=cursor.fetch_limit
        )
    )
    page = cursor.page(records)
    return Page(items=[await _to_activity(conn, r) for r in page.items], next_cursor=page.next_cursor)
