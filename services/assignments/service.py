"""Sign-up rules. Each refusal names its rule: qualification valid on the day (422), membership
(404/422), role full (409), overlapping shift (409), already on it (409), cancelled or past (409).
Capacity and overlap are enforced by PostgreSQL (trigger and exclusion constraint), so concurrent
requests cannot over-fill a role."""

from __future__ import annotations

from datetime import datetime, timedelta

import asyncpg
import msgspec

from schemas.scheduling import Assignment
from services.access.service import Access
from services.assignments import left, watches
from services.assignments.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import reminders
from services.occurrences import service as occurrences
from services.people import service as people
from services.problems import Conflict, NotFound, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "occurrence-over": N_("The shift has already begun."),
        "unknown-role": N_("There is no such role."),
        "weeks-out-of-range": N_("Choose between 1 and 26 weeks."),
        "role-full": N_("All places for this role are taken."),
        "already-assigned": N_("This person is already on this date."),
        "overlapping-shift": N_("This person has another shift at that time."),
        "qualification-missing": N_("No valid {needs} on that day."),
        "qualification-expired": N_("{needs} has run out by that day."),
        "occurrence-cancelled": N_("This date is cancelled."),
        "not-a-volunteer": N_("Only volunteers and coordinators take shifts."),
        "assignment-ended": N_("This assignment has already ended."),
        "not-started": N_("Attendance is marked once the date has begun."),
    }
)

SHIFT_ROLES = {"volunteer", "coordinator"}


def to_assignment(row: asyncpg.Record) -> Assignment:
    return as_struct(Assignment)(row)


async def assign(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    occurrence_id: int,
    role_id: int,
    person_id: int | None = None,
) -> Assignment:
    """A volunteer signs themself up (person_id None), or a coordinator assigns a member."""
    occurrence = await occurrences.occurrence_for(conn, access, occurrence_id)
    source = "signup"
    if person_id is not None and person_id != access.person_id:
        access.require_coordinator("assign other people")
        source = "assigned"
    person = access.person_id if person_id is None else person_id
    role = await _check_may_take(conn, clock, occurrence, role_id, person)
    when = occurrence.local_date.isoformat()
    try:
        async with conn.transaction():
            row = await queries.insert_assignment(
                conn,
                occurrence_id=occurrence_id,
                role_id=role_id,
                person_id=person,
                source=source,
                created_by=access.person_id,
                now=clock.now(),
            )
            await reminders.plan_for_assignment(conn, clock, row["id"])  # same transaction
            if source == "assigned":  # she did not choose it herself, so she is told
                await reminders.tell_of_change(conn, clock, row["id"], "assigned")
            await queries.unwatch(conn, occurrence_id=occurrence_id, person_id=person)
    except asyncpg.CheckViolationError as exc:
        if exc.constraint_name != "role_full":
            raise
        if await queries.is_on(conn, occurrence_id=occurrence_id, person_id=person):
            # Full because she holds the last place herself: say that, not "taken".
            raise Conflict(f"Already on the occurrence of {when}.", code="already-assigned") from None
        raise Conflict(
            f"All {role['max_people']} place(s) for {role['name']} on {when} are taken.", code="role-full"
        ) from None
    except (asyncpg.UniqueViolationError, asyncpg.ExclusionViolationError):
        # The occurrence overlaps itself too, so ask which rule it really is.
        if await queries.is_on(conn, occurrence_id=occurrence_id, person_id=person):
            raise Conflict(f"Already on the occurrence of {when}.", code="already-assigned") from None
        raise Conflict(
            f"Already on another shift at that time on {when}.", code="overlapping-shift"
        ) from None
    return to_assignment(await queries.get_assignment(conn, id=row["id"]))


async def _check_may_take(
    conn: asyncpg.Connection, clock: Clock, occurrence: asyncpg.Record, role_id: int, person: int
) -> asyncpg.Record:
    """The rules checked before the database's own (capacity, overlap): who may take shifts, a
    current occurrence, a role of its activity, qualifications valid that day. The role, if so."""
    roles = set(await queries.planner_roles(conn, occurrence_id=occurrence.id, person_id=person))
    if not roles:
        raise NotFound(
            f"There is no person {person} in this organisation or the ones it plans this with.",
            code="person-not-found",
        )
    if not roles & SHIFT_ROLES:
        raise Unprocessable("Only volunteers and coordinators take shifts.", code="not-a-volunteer")
    when = occurrence.local_date.isoformat()
    if occurrence.status == "cancelled":
        raise Conflict(f"The occurrence on {when} is cancelled.", code="occurrence-cancelled")
    if occurrence.ends_at <= clock.now():
        raise Conflict(f"The occurrence on {when} is over.", code="occurrence-over")
    role = await queries.role_of_activity(conn, role_id=role_id, activity_id=occurrence.activity_id)
    if role is None:
        raise Unprocessable(f"role_id: the activity has no role {role_id}.", code="unknown-role")
    missing = [
        r["name"]
        for r in await rows(
            queries.missing_qualifications(
                conn, role_id=role_id, person_id=person, on_date=occurrence.local_date
            )
        )
    ]
    if missing:
        await _refuse_unqualified(conn, role["name"], person, missing, occurrence.local_date)
    return role


async def _refuse_unqualified(
    conn: asyncpg.Connection, role_name: str, person_id: int, missing: list[str], on_date
) -> None:
    """An expired qualification is named as expired ("Police certificate expired on 3 May 2026"),
    one never held as missing."""
    expired = {
        r["name"]: r["expired_on"]
        for r in await rows(
            queries.expired_qualifications(conn, person_id=person_id, names=missing, on_date=on_date)
        )
    }
    needs = f"{role_name} on {on_date.isoformat()} needs {', '.join(missing)} valid on that day"
    if expired:
        lapsed = "; ".join(f"{name} expired on {day.day} {day:%B %Y}" for name, day in expired.items())
        raise Unprocessable(
            f"{lapsed}. {needs}.", code="qualification-expired", names={"needs": ", ".join(expired)}
        )
    raise Unprocessable(f"{needs}.", code="qualification-missing", names={"needs": ", ".join(missing)})


async def _visible_assignment(conn: asyncpg.Connection, access: Access, assignment_id: int) -> asyncpg.Record:
    row = await queries.get_assignment(conn, id=assignment_id)
    if row is None:
        raise NotFound(f"There is no assignment {assignment_id}.", code="assignment-not-found")
    own = row["person_id"] == access.person_id
    in_view = access.sees(row)
    member = bool(
        await queries.member_roles(conn, organisation_id=access.organisation_id, person_id=row["person_id"])
    )
    if not in_view or not (
        own or (access.is_coordinator and (member or row["organisation_id"] == access.organisation_id))
    ):
        raise NotFound(f"There is no assignment {assignment_id}.", code="assignment-not-found")
    return row


async def end(conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int) -> Assignment:
    """Withdraw yourself (late after the organisation's cut-off, but allowed) or, as a coordinator,
    remove someone (they are told)."""
    row = await _visible_assignment(conn, access, assignment_id)
    if row["status"] != "active":
        raise Conflict(f"Assignment {assignment_id} has already ended.", code="assignment-ended")
    now = clock.now()
    if row["ends_at"] <= now:
        raise Conflict("The occurrence is over; mark attendance instead.", code="occurrence-over")
    own = row["person_id"] == access.person_id
    late = own and now > row["starts_at"] - timedelta(hours=row["withdrawal_cutoff_hours"])
    async with conn.transaction():
        await queries.end_assignment(
            conn,
            id=assignment_id,
            status="withdrawn" if own else "removed",
            late=late,
            ended_by=access.person_id,
            now=now,
        )
        if own:  # the coordinators hear of it at once when the shift is close
            await left.tell_on_duty_if_soon(conn, clock, row, row["display_name"])
        else:
            await queries.notify_one(conn, assignment_id=assignment_id, kind="removed", now=now)
            await reminders.tell_of_change(conn, clock, assignment_id, "removed")
        await reminders.plan_for_assignment(conn, clock, assignment_id)  # cancels its reminders
        await watches.tell_watchers(conn, clock, row)
    return to_assignment(await queries.get_assignment(conn, id=assignment_id))


async def stop_volunteering(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> int:
    """A volunteer leaves: the volunteer role goes (no more asks, auto-fill or open shifts), and
    each shift of theirs that has not begun is freed and becomes a gap, as any removal does. Hours
    already given stay in the reports. The number of shifts freed."""
    access.require_coordinator("deactivate volunteers")
    shifts = await rows(
        queries.assignments_of_person(
            conn,
            organisation_id=access.organisation_id,
            person_id=person_id,
            starts_from=clock.now(),
            limit=10000,
        )
    )
    ahead = [r["id"] for r in shifts if r["starts_at"] > clock.now()]
    async with conn.transaction():
        await people.retire_volunteer(conn, clock, access, person_id)
        for assignment_id in ahead:
            await end(conn, clock, access, assignment_id)
    return len(ahead)


class CodedShift(msgspec.Struct, frozen=True, kw_only=True):
    """A current shift of hers that an answer's code names."""

    id: int
    occurrence_id: int
    organisation_id: int
    starts_at: datetime
    title: str
    time_zone: str


async def by_code(conn: asyncpg.Connection, clock: Clock, person_id: int, code: str) -> CodedShift | None:
    """The person's current shift that an answer's code names."""
    found = await queries.assignment_by_code(conn, person_id=person_id, code=code, now=clock.now())
    return as_struct(CodedShift)(found) if found is not None else None


async def confirm(conn: asyncpg.Connection, clock: Clock, assignment_id: int) -> None:
    """The person said they are coming."""
    await queries.confirm(conn, id=assignment_id, now=clock.now())


async def mark_attendance(
    conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int, attendance: str
) -> Assignment:
    row = await _visible_assignment(conn, access, assignment_id)
    if row["organisation_id"] != access.organisation_id:
        raise NotFound(
            f"There is no assignment {assignment_id} of this organisation.", code="assignment-not-found"
        )
    access.require_coordinator("mark attendance")
    if row["status"] != "active":
        raise Conflict("Only a current assignment can be marked.", code="assignment-ended")
    if row["starts_at"] > clock.now():
        raise Conflict("Attendance is marked once the occurrence has begun.", code="not-started")
    await queries.mark_attendance(
        conn, id=assignment_id, attendance=attendance, marked_by=access.person_id, now=clock.now()
    )
    return to_assignment(await queries.get_assignment(conn, id=assignment_id))


class OnShift(msgspec.Struct, frozen=True, kw_only=True):
    """Someone on an occurrence, as its coordinators see her."""

    id: int
    role_id: int
    person_id: int
    display_name: str
    late: bool
    attendance: str | None
    source: str
    # what her role needs that she does not hold that day (one added to the role after she came on)
    lacks: list[str]


async def on_occurrence(conn: asyncpg.Connection, access: Access, occurrence_id: int) -> list[OnShift]:
    """Who is on an occurrence, for its coordinators (names of partners' people included only
    where the activity is shared, as the staffing view shows them)."""
    access.require_coordinator("see who is on a shift")
    await occurrences.occurrence_for(conn, access, occurrence_id)
    return [
        as_struct(OnShift)(row)
        for row in await rows(queries.on_occurrence(conn, occurrence_id=occurrence_id))
    ]


async def role_of_activity(conn: asyncpg.Connection, activity_id: int, role_id: int) -> bool:
    """Whether the activity has this role."""
    return await queries.role_of_activity(conn, role_id=role_id, activity_id=activity_id) is not None


async def hand_over(conn: asyncpg.Connection, clock: Clock, assignment_id: int, taker_id: int) -> None:
    """Her assignment ends because a colleague took it over (a swap): withdrawn, never late, and
    its reminders go with it."""
    await queries.end_assignment(
        conn, id=assignment_id, status="withdrawn", late=False, ended_by=taker_id, now=clock.now()
    )
    await reminders.plan_for_assignment(conn, clock, assignment_id)
