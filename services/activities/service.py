"""Activities (series): creation, whole-series edits and "this and following" splits.

Every change re-derives the occurrences in the same transaction (services.occurrences.service),
so the rows that feeds, reminders and gaps read are never behind the series.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import asyncpg
import msgspec

from schemas.common import Page
from schemas.scheduling import Activity, ActivityChange, ActivityCreate, FoodPickup, Role, RoleSpec
from services.access.service import Access
from services.activities.queries import queries
from services.activities.rules import check_roles, check_series, new_series, refused
from services.clock import Clock
from services.db import as_struct, rows
from services.occurrences import service as occurrences
from services.occurrences.recurrence import Instance, expand, remaining_count
from services.occurrences.service import series_of
from services.pagination import Cursor
from services.places import service as places
from services.problems import NotFound, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "activity-not-found": N_("There is no such activity here."),
        "split-at-start": N_(
            "From the first date on, that is a change of the whole series: choose it above."
        ),
        "split-before-date": N_("The changed dates cannot start before the date they change from."),
        "not-a-partner": N_(
            "You can share only with a partner organisation: ask for a partnership under Partners first."
        ),
        "ends-before-start": N_("The end date is before the first date."),
        "no-weekdays": N_("Choose at least one weekday."),
        "both-ends": N_("Give an end date or a number of times, not both."),
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


async def _check_partners(conn: asyncpg.Connection, access: Access, partners: list[int]) -> list[int]:
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


async def _with_pickup(
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


async def _set_shares(conn: asyncpg.Connection, activity_id: int, partners: list[int]) -> None:
    await queries.clear_shares(conn, activity_id=activity_id)
    for partner in partners:
        await queries.add_share(conn, activity_id=activity_id, organisation_id=partner)


async def dates_after_change(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    activity_id: int,
    change: ActivityChange,
    from_date: date | None = None,
    how_many: int = 8,
) -> list[Instance]:
    """The next dates a series would have after a change, before it is saved: of the whole series
    from today, or (from_date) of "this and following" from that date. Checked as the change is."""
    row = await _owned(conn, access, activity_id, "change activities")
    if from_date is None:
        values, first = _merged(row, change), occurrences.today(clock, row["time_zone"])
    else:
        values, first = _following(row, _merged(row, ActivityChange()), change, from_date), from_date
    series = series_of(values | {"time_zone": row["time_zone"]})
    check_series(series)
    return expand(series, first, first + timedelta(weeks=104))[:how_many]


async def create(conn: asyncpg.Connection, clock: Clock, access: Access, data: ActivityCreate) -> Activity:
    access.require_coordinator("plan activities")
    new_series(data)  # checked before anything is written
    await check_roles_of(conn, access, data.kind, data.roles)
    partners = await _check_partners(conn, access, data.shared_with)
    details = await _with_pickup(conn, access, data.kind, {}, data.food_pickup)
    if data.place_id is not None:
        await places.own_place(conn, access, data.place_id)
    async with conn.transaction():
        activity_id = (
            await queries.insert_activity(
                conn,
                organisation_id=access.organisation_id,
                kind=data.kind,
                title=data.title,
                description=data.description,
                time_zone=data.time_zone,
                start_local=data.start_local,
                duration_minutes=data.duration_minutes,
                rrule=data.rrule,
                rdates=data.rdates,
                exdates=data.exdates,
                ends_on=None,
                place_id=data.place_id,
                details=msgspec.json.encode(details).decode(),
                participant_capacity=data.participant_capacity,
                split_from=None,
                now=clock.now(),
            )
        )["id"]
        await insert_roles(conn, activity_id, data.roles)
        await _set_shares(conn, activity_id, partners)
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


def _merged(row: asyncpg.Record, change: ActivityChange) -> dict:
    values = {
        field: row[field]
        for field in (
            "title",
            "description",
            "start_local",
            "duration_minutes",
            "rrule",
            "place_id",
            "participant_capacity",
        )
    }
    values["rdates"] = list(row["rdates"])
    values["exdates"] = list(row["exdates"])
    values["ends_on"] = row["ends_on"]
    for field in change.__struct_fields__:
        value = getattr(change, field)
        if value is not None and field not in ("shared_with", "food_pickup"):  # not the series' columns
            values[field] = value
    if change.rrule == "":
        values["rrule"] = None  # "" turns a series into a one-off
    return values


async def change_series(
    conn: asyncpg.Connection, clock: Clock, access: Access, activity_id: int, change: ActivityChange
) -> Activity:
    """Edit the whole series: from today on, occurrences follow; ones edited alone stay."""
    row = await _owned(conn, access, activity_id, "change activities")
    values = _merged(row, change)
    check_series(series_of(values | {"time_zone": row["time_zone"]}))
    if change.place_id is not None:
        await places.own_place(conn, access, change.place_id)
    details = await _with_pickup(conn, access, row["kind"], _details(row), change.food_pickup)
    async with conn.transaction():
        await queries.update_activity(conn, id=activity_id, now=clock.now(), **values)
        if change.food_pickup is not None:
            await queries.set_details(
                conn, id=activity_id, details=msgspec.json.encode(details).decode(), now=clock.now()
            )
        if change.shared_with is not None:
            await _set_shares(conn, activity_id, await _check_partners(conn, access, change.shared_with))
        await occurrences.follow_series(
            conn, clock, activity_id, from_date=occurrences.today(clock, row["time_zone"])
        )
    return await _to_activity(conn, await queries.get_activity(conn, id=activity_id))


def _following(row: asyncpg.Record, old: dict, change: ActivityChange, from_date: date) -> dict:
    """The new series' values: from from_date on, as many dates as the old one had left."""
    if from_date <= row["start_local"].date():
        raise refused(
            "from_date", "splitting at the first date is a change of the whole series", "split-at-start"
        )
    values = _merged(row, change)
    if change.start_local is None:
        values["start_local"] = datetime.combine(from_date, row["start_local"].time())
    if values["start_local"].date() < from_date:
        raise refused("change.start_local", "the new part cannot start before from_date", "split-before-date")
    count = remaining_count(series_of(old | {"time_zone": row["time_zone"]}), from_date)
    if count is not None and change.rrule is None:
        values["rrule"] = ";".join(
            f"COUNT={count}" if p.upper().startswith("COUNT=") else p for p in row["rrule"].split(";")
        )
    check_series(series_of(values | {"time_zone": row["time_zone"]}))
    return values


async def split(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    activity_id: int,
    from_date: date,
    change: ActivityChange,
) -> Activity:
    """ "This and following": the series ends the day before from_date and a new series, with the
    change, carries on; occurrences from from_date move to it with their sign-ups."""
    row = await _owned(conn, access, activity_id, "change activities")
    old = _merged(row, ActivityChange())
    values = _following(row, old, change, from_date)
    if change.place_id is not None:
        await places.own_place(conn, access, change.place_id)
    details = await _with_pickup(conn, access, row["kind"], _details(row), change.food_pickup)
    roles = await rows(queries.roles_of(conn, activity_ids=[activity_id]))
    async with conn.transaction():
        await queries.update_activity(
            conn, id=activity_id, now=clock.now(), **(old | {"ends_on": from_date - timedelta(days=1)})
        )
        new_id = (
            await queries.insert_activity(
                conn,
                organisation_id=row["organisation_id"],
                kind=row["kind"],
                time_zone=row["time_zone"],
                details=msgspec.json.encode(details).decode(),
                split_from=activity_id,
                now=clock.now(),
                **values,
            )
        )["id"]
        await insert_roles(
            conn,
            new_id,
            [
                RoleSpec(r["name"], r["min_people"], r["max_people"], list(r["qualification_type_ids"]))
                for r in roles
            ],
        )
        shared = change.shared_with if change.shared_with is not None else list(row["shared_with"])
        await _set_shares(conn, new_id, await _check_partners(conn, access, shared))
        await occurrences.hand_over(
            conn, old_activity_id=activity_id, new_activity_id=new_id, from_date=from_date
        )
        await occurrences.follow_series(conn, clock, new_id, from_date=from_date)
    return await _to_activity(conn, await queries.get_activity(conn, id=new_id))
