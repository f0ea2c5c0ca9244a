"""Occurrences: materialising series to the horizon, following series edits, editing one
occurrence, and the staffing view coordinators read."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from schemas.scheduling import Occurrence, OccurrenceChange
from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import reminders
from services.occurrences import staffing
from services.occurrences.queries import queries
from services.occurrences.recurrence import Instance, Series, expand, to_instant
from services.places import service as places
from services.problems import Conflict, NotFound, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "occurrence-not-found": N_("There is no such shift."),
        "moved-to-past": N_("A date cannot be moved into the past."),
        "period-over-a-year": N_("Choose a period of up to a year."),
        "reason-without-cancelling": N_("A reason is given only when cancelling a date."),
    }
)

# Materialising starts a little in the past so a series created late in the week still has
# this week's dates (for attendance and hours).
LOOKBACK = timedelta(days=7)


def today(clock: Clock, time_zone: str) -> date:
    return clock.now().astimezone(ZoneInfo(time_zone)).date()


def series_of(row: Mapping) -> Series:
    """A series from a row (or a row with changes merged in)."""
    return Series(
        row["start_local"],
        timedelta(minutes=row["duration_minutes"]),
        row["time_zone"],
        row["rrule"],
        tuple(row["rdates"]),
        tuple(row["exdates"]),
        row["ends_on"],
    )


def _window(clock: Clock, row: asyncpg.Record) -> tuple[date, date]:
    now = today(clock, row["time_zone"])
    return now - LOOKBACK, now + timedelta(weeks=row["horizon_weeks"])


async def materialise(conn: asyncpg.Connection, clock: Clock, activity_ids: list[int] | None = None) -> int:
    """Create the missing occurrences up to each organisation's horizon; returns how many."""
    columns: tuple[list, ...] = ([], [], [], [], [])
    for row in await rows(queries.series_to_materialise(conn, activity_ids=activity_ids)):
        for instance in expand(series_of(row), *_window(clock, row)):
            for column, value in zip(
                columns,
                (row["id"], instance.local_date, instance.starts_at, instance.ends_at, row["place_id"]),
                strict=True,
            ):
                column.append(value)
    if not columns[0]:
        return 0
    return await queries.insert_occurrences(
        conn,
        activity_ids=columns[0],
        local_dates=columns[1],
        starts=columns[2],
        ends=columns[3],
        place_ids=columns[4],
    )


async def materialise_organisation(conn: asyncpg.Connection, clock: Clock, organisation_id: int) -> int:
    """After the organisation's horizon grew: its series reach the new horizon at once."""
    ids = [r["id"] for r in await rows(queries.series_of_organisation(conn, organisation_id=organisation_id))]
    return await materialise(conn, clock, ids) if ids else 0


async def _notify(
    conn: asyncpg.Connection, clock: Clock, occurrence_id: int, kind: str, details: dict
) -> None:
    await queries.notify_assigned(
        conn,
        occurrence_id=occurrence_id,
        kind=kind,
        details=msgspec.json.encode(details).decode(),
        now=clock.now(),
    )


async def _apply(
    conn: asyncpg.Connection,
    clock: Clock,
    current: asyncpg.Record,
    *,
    starts_at: datetime,
    ends_at: datetime,
    place_id: int | None,
    status: str,
    detached: bool,
    reason: str = "",
) -> bool:
    """Write one occurrence's new state and record what its people must be told."""
    notices = []
    if status != current["status"]:
        notices.append(
            ("cancelled" if status == "cancelled" else "restored", {"reason": reason} if reason else {})
        )
    if status == "scheduled" and (starts_at, ends_at) != (current["starts_at"], current["ends_at"]):
        notices.append(("moved", {"from": current["starts_at"].isoformat(), "to": starts_at.isoformat()}))
    if status == "scheduled" and place_id != current["place_id"]:
        notices.append(("place_changed", {"from": current["place_id"], "to": place_id}))
    if not notices and detached == current["detached"]:
        return False
    try:
        async with conn.transaction():
            await queries.update_occurrence(
                conn,
                id=current["id"],
                starts_at=starts_at,
                ends_at=ends_at,
                place_id=place_id,
                status=status,
                detached=detached,
                now=clock.now(),
            )
    except asyncpg.ExclusionViolationError:
        raise Conflict(
            f"The occurrence on {current['local_date']} cannot move there: someone on it would be in two"
            " places at once. Remove them from one of the shifts first.",
            code="would-double-book",
        ) from None
    for kind, details in notices:
        await _notify(conn, clock, current["id"], kind, details)
    kinds = {kind for kind, _details in notices}
    change = (
        "cancelled" if "cancelled" in kinds else "moved" if kinds & {"moved", "place_changed"} else "restored"
    )
    await reminders.occurrence_changed(
        conn, clock, current["id"], change, reason if change == "cancelled" else ""
    )
    return True


async def follow_series(conn: asyncpg.Connection, clock: Clock, activity_id: int, from_date: date) -> None:
    """After a series edit: occurrences from from_date follow the series (moved, cancelled,
    restored) except those edited on their own; sign-ups on unchanged occurrences stay as they are."""
    (row,) = await rows(queries.series_to_materialise(conn, activity_ids=[activity_id]))
    first, last = _window(clock, row)
    expected: dict[date, Instance] = {
        i.local_date: i for i in expand(series_of(row), max(first, from_date), last)
    }
    for current in await rows(queries.occurrences_from(conn, activity_id=activity_id, from_date=from_date)):
        if current["detached"]:
            continue
        instance = expected.get(current["local_date"])
        if instance is None:
            await _apply(
                conn,
                clock,
                current,
                starts_at=current["starts_at"],
                ends_at=current["ends_at"],
                place_id=current["place_id"],
                status="cancelled",
                detached=False,
            )
        else:
            await _apply(
                conn,
                clock,
                current,
                starts_at=instance.starts_at,
                ends_at=instance.ends_at,
                place_id=row["place_id"],
                status="scheduled",
                detached=False,
            )
    await materialise(conn, clock, [activity_id])


async def hand_over(
    conn: asyncpg.Connection, *, old_activity_id: int, new_activity_id: int, from_date: date
) -> None:
    await queries.hand_over(
        conn, old_activity_id=old_activity_id, new_activity_id=new_activity_id, from_date=from_date
    )


class OccurrenceFacts(msgspec.Struct, frozen=True, kw_only=True):
    """One date of a series as the rules about it need it: when, where, its state, and whose."""

    id: int
    activity_id: int
    local_date: date
    starts_at: datetime
    ends_at: datetime
    place_id: int | None
    status: str
    detached: bool
    sequence: int
    organisation_id: int
    time_zone: str
    kind: str
    title: str
    shared_with: list[int]


async def get(conn: asyncpg.Connection, occurrence_id: int) -> OccurrenceFacts | None:
    """An occurrence with its activity's title and sharing, whoever may see it (callers check)."""
    row = await queries.get_occurrence(conn, id=occurrence_id)
    return as_struct(OccurrenceFacts)(row) if row is not None else None


async def _visible(conn: asyncpg.Connection, access: Access, occurrence_id: int) -> asyncpg.Record:
    row = await queries.get_occurrence(conn, id=occurrence_id)
    if not access.sees(row):
        raise NotFound(f"There is no occurrence {occurrence_id}.", code="occurrence-not-found")
    return row


async def occurrence_for(conn: asyncpg.Connection, access: Access, occurrence_id: int) -> OccurrenceFacts:
    """The occurrence if this organisation may see it (own or shared activity); 404 otherwise."""
    return as_struct(OccurrenceFacts)(await _visible(conn, access, occurrence_id))


async def change_occurrence(
    conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int, change: OccurrenceChange
) -> Occurrence:
    """Move one occurrence, change its place, cancel or restore it. It then stays as edited when
    the series changes later."""
    current = await _visible(conn, access, occurrence_id)
    if current["organisation_id"] != access.organisation_id:
        raise NotFound(
            f"There is no occurrence {occurrence_id} of this organisation.", code="occurrence-not-found"
        )
    access.require_coordinator("change occurrences")
    zone = ZoneInfo(current["time_zone"])
    start_local = change.start_local or current["starts_at"].astimezone(zone).replace(tzinfo=None)
    minutes = change.duration_minutes or int(
        (current["ends_at"] - current["starts_at"]).total_seconds() // 60
    )
    starts_at = to_instant(start_local, zone)
    place_id = current["place_id"]
    if change.place_id is not None:
        place_id = await places.own_place(conn, access, change.place_id)
    status = change.status or current["status"]
    if change.reason and change.status != "cancelled":
        raise Unprocessable(
            "reason: a reason goes with status cancelled only.", code="reason-without-cancelling"
        )
    if (
        status == "scheduled"
        and change.start_local is not None
        and starts_at < clock.now() - timedelta(days=1)
    ):
        raise Unprocessable("start_local: an occurrence cannot be moved into the past.", code="moved-to-past")
    async with conn.transaction():
        await _apply(
            conn,
            clock,
            current,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=minutes),  # elapsed time
            place_id=place_id,
            status=status,
            detached=True,
            reason=(change.reason or "").strip(),
        )
    return await staffing_of(conn, access, occurrence_id)


async def staffing_of(conn: asyncpg.Connection, access: Access, occurrence_id: int) -> Occurrence:
    await occurrence_for(conn, access, occurrence_id)
    return (await staffing.staffing_of_many(conn, access, [occurrence_id]))[0]
