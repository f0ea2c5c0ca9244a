"""Changes to a planned series: the whole series from today on, or "this and following" (a split),
and the dates either would give before it is saved. Every change re-derives the occurrences in the
same transaction (services.occurrences.service), so nothing reads a series ahead of its dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import asyncpg
import msgspec

from schemas.scheduling import Activity, ActivityChange, RoleSpec
from services.access.service import Access
from services.activities.queries import queries
from services.activities.rules import check_series, refused
from services.activities.service import (
    SERIES_FIELDS,
    check_partners,
    details_of,
    insert_series,
    owned,
    set_shares,
    with_pickup,
)
from services.clock import Clock
from services.occurrences import service as occurrences
from services.occurrences.recurrence import Instance, expand, remaining_count
from services.occurrences.service import series_of
from services.places import service as places
from services.problems import refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "split-at-start": N_(
            "From the first date on, that is a change of the whole series: choose it above."
        ),
        "split-before-date": N_("The changed dates cannot start before the date they change from."),
    }
)


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
    activity = await owned(conn, access, activity_id, "change activities")
    if from_date is None:
        values, first = _merged(activity, change), occurrences.today(clock, activity.time_zone)
    else:
        values, first = (
            _following(activity, _merged(activity, ActivityChange()), change, from_date),
            from_date,
        )
    series = series_of(values | {"time_zone": activity.time_zone})
    check_series(series)
    return expand(series, first, first + timedelta(weeks=104))[:how_many]


def _merged(activity: Activity, change: ActivityChange) -> dict:
    values = {field: getattr(activity, field) for field in SERIES_FIELDS} | {"ends_on": activity.ends_on}
    values["rdates"] = list(activity.rdates)
    values["exdates"] = list(activity.exdates)
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
    activity = await owned(conn, access, activity_id, "change activities")
    values = _merged(activity, change)
    check_series(series_of(values | {"time_zone": activity.time_zone}))
    if change.place_id is not None:
        await places.own_place(conn, access, change.place_id)
    details = await with_pickup(conn, access, activity.kind, details_of(activity), change.food_pickup)
    async with conn.transaction():
        await queries.update_activity(conn, id=activity_id, now=clock.now(), **values)
        if change.food_pickup is not None:
            await queries.set_details(
                conn, id=activity_id, details=msgspec.json.encode(details).decode(), now=clock.now()
            )
        if change.shared_with is not None:
            await set_shares(conn, activity_id, await check_partners(conn, access, change.shared_with))
        await occurrences.follow_series(
            conn, clock, activity_id, from_date=occurrences.today(clock, activity.time_zone)
        )
    return await owned(conn, access, activity_id, "change activities")


def _following(activity: Activity, old: dict, change: ActivityChange, from_date: date) -> dict:
    """The new series' values: from from_date on, as many dates as the old one had left."""
    if from_date <= activity.start_local.date():
        raise refused(
            "from_date", "splitting at the first date is a change of the whole series", "split-at-start"
        )
    values = _merged(activity, change)
    if change.start_local is None:
        values["start_local"] = datetime.combine(from_date, activity.start_local.time())
    if values["start_local"].date() < from_date:
        raise refused("change.start_local", "the new part cannot start before from_date", "split-before-date")
    count = remaining_count(series_of(old | {"time_zone": activity.time_zone}), from_date)
    if count is not None and change.rrule is None:
        values["rrule"] = ";".join(
            f"COUNT={count}" if p.upper().startswith("COUNT=") else p for p in activity.rrule.split(";")
        )
    check_series(series_of(values | {"time_zone": activity.time_zone}))
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
    activity = await owned(conn, access, activity_id, "change activities")
    old = _merged(activity, ActivityChange())
    values = _following(activity, old, change, from_date)
    if change.place_id is not None:
        await places.own_place(conn, access, change.place_id)
    details = await with_pickup(conn, access, activity.kind, details_of(activity), change.food_pickup)
    async with conn.transaction():
        await queries.update_activity(
            conn, id=activity_id, now=clock.now(), **(old | {"ends_on": from_date - timedelta(days=1)})
        )
        roles = [
            RoleSpec(r.name, r.min_people, r.max_people, list(r.qualification_type_ids))
            for r in activity.roles
        ]
        shared = change.shared_with if change.shared_with is not None else list(activity.shared_with)
        partners = await check_partners(conn, access, shared)
        new_id = await insert_series(
            conn,
            clock,
            activity.organisation_id,
            activity.kind,
            activity.time_zone,
            details,
            values,
            roles,
            partners,
            split_from=activity_id,
        )
        await occurrences.hand_over(
            conn, old_activity_id=activity_id, new_activity_id=new_id, from_date=from_date
        )
        await occurrences.follow_series(conn, clock, new_id, from_date=from_date)
    return await owned(conn, access, new_id, "change activities")
