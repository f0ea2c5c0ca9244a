"""Room bookings.

A partner (a congregation) registers its rooms, who answers for each, and which organisations may
borrow them. A borrowing coordinator asks for a room for one date or for every date of a series in
a period: one request, one booking per date. The partner's contacts get an SMS with a code
("JA 731" confirms every date still waiting, "NEJ 731" declines them) and a signed link to a page
where they answer date by date. Each date keeps its own state (requested → confirmed / declined /
cancelled, who answered, when, how).

PostgreSQL refuses two confirmed bookings of one room that overlap (an exclusion constraint); the
partner is then told which booking holds the room, and the date keeps waiting. A trigger keeps each
booking on its occurrence: cancelled with it, or asked again when it moves outside the confirmed
time; the worker tells the partner (`tell_partners`). Unanswered requests get one reminder after the
partner's `booking_reminder_days`, and the borrowing coordinators hear of it as many days later.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime, timedelta

import asyncpg

from schemas.bookings import BookingAsk, BookingRequest, RoomProblem
from services.access.service import Access
from services.activities import service as activities
from services.bookings import answers, dates, venues
from services.bookings.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.occurrences import service as occurrences
from services.problems import NotFound, Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "no-dates": N_(
            "There is no date to ask for: they are past, cancelled or already have a room asked for."
        ),
        "booking-request-not-found": N_("This request no longer exists."),
        "bad-period": N_("Ask for up to a year, the end on or after the start."),
    }
)

# --- requests -------------------------------------------------------------------------------


def _request(request: asyncpg.Record, bookings: list[asyncpg.Record]) -> BookingRequest:
    return as_struct(BookingRequest)(request, bookings=[dates.as_booking(b) for b in bookings])


async def _view(conn: asyncpg.Connection, request: asyncpg.Record) -> BookingRequest:
    return _request(request, await rows(queries.bookings_of_request(conn, request_id=request["id"])))


async def _text_contacts(
    conn, clock: Clock, request: asyncpg.Record, template: str, key: str, public_base: str, **fields
) -> int:
    waiting = dates.still_waiting(
        dates.as_dates(await rows(queries.bookings_of_request(conn, request_id=request["id"]))), clock.now()
    )
    if not waiting:
        return 0
    sent = 0
    for contact in await rows(queries.contacts_of(conn, venue_id=request["venue_id"])):
        sent += await notices.tell(
            conn,
            clock,
            contact["id"],
            key=f"{key}:{contact['id']}",
            template=template,
            organisation_id=request["organisation_id"],
            before=waiting[0].starts_at,
            who=request["borrower_name"],
            room=request["venue_name"],
            what=request["title"],
            moment=waiting[0].starts_at,
            number=len(waiting),
            code=request["code"],
            link=await dates.booking_link(
                conn, public_base, request["id"], contact["id"], waiting[-1].ends_at
            ),
            **fields,
        )
    return sent


async def ask(
    conn: asyncpg.Connection, clock: Clock, access: Access, data: BookingAsk, public_base: str
) -> BookingRequest:
    """One request for the dates asked; the partner's contacts get an SMS with a code and link."""
    activity = await activities.owned(conn, access, data.activity_id, "ask for rooms")
    venue_id = await venues.lendable(conn, access, data.venue_id)
    if data.occurrence_id is not None:
        occurrence = await occurrences.get(conn, data.occurrence_id)
        if occurrence is None or occurrence.activity_id != activity.id:
            raise Unprocessable(
                f"occurrence_id: activity {activity.id} has no occurrence {data.occurrence_id}.",
                code="unknown-occurrence",
            )
    if (
        data.from_date
        and data.to_date
        and (data.to_date < data.from_date or data.to_date - data.from_date > timedelta(days=366))
    ):
        raise Unprocessable("to_date: ask for up to a year, ending on or after from_date.", code="bad-period")
    async with conn.transaction():
        request = await queries.insert_request(
            conn,
            organisation_id=access.organisation_id,
            activity_id=activity.id,
            venue_id=venue_id,
            code=f"{secrets.randbelow(900) + 100}",
            created_by=access.person_id,
            now=clock.now(),
        )
        made = await rows(
            queries.insert_bookings(
                conn,
                request_id=request["id"],
                venue_id=venue_id,
                activity_id=activity.id,
                occurrence_id=data.occurrence_id,
                from_date=data.from_date,
                to_date=data.to_date,
                now=clock.now(),
            )
        )
        if not made:
            raise Unprocessable(
                "There is no date to ask for: they are past, cancelled, or already have a room asked for "
                "or confirmed.",
                code="no-dates",
            )
        request = await queries.get_request(conn, id=request["id"])
        if request["venue_organisation_id"] == access.organisation_id:
            # One's own room needs nobody's yes: confirmed at once, where no other booking holds it.
            own = dates.as_dates(await rows(queries.bookings_of_request(conn, request_id=request["id"])))
            await answers.answer(conn, clock, access.person_id, own, True, "api")
        else:
            await _text_contacts(
                conn, clock, request, "booking_ask", f"booking-ask:{request['id']}", public_base
            )
    return await _view(conn, request)


async def _request_for(conn: asyncpg.Connection, access: Access, request_id: int) -> asyncpg.Record:
    """A request the borrower made, or one for the partner's own room; 404 for anyone else."""
    request = await queries.get_request(conn, id=request_id)
    if request is None or access.organisation_id not in (
        request["organisation_id"],
        request["venue_organisation_id"],
    ):
        raise NotFound(f"There is no booking request {request_id}.", code="booking-request-not-found")
    return request


async def get_request(conn: asyncpg.Connection, access: Access, request_id: int) -> BookingRequest:
    return await _view(conn, await _request_for(conn, access, request_id))


async def list_requests(conn: asyncpg.Connection, access: Access) -> list[BookingRequest]:
    access.require_coordinator("see booking requests")
    requests = await rows(queries.requests_of(conn, organisation_id=access.organisation_id))
    dates = defaultdict(list)
    for booking in await rows(queries.bookings_of_requests(conn, request_ids=[r["id"] for r in requests])):
        dates[booking["request_id"]].append(booking)
    return [_request(r, dates[r["id"]]) for r in requests]


# --- what the borrower sees -----------------------------------------------------------------


async def room_problems(
    conn: asyncpg.Connection, access: Access, start: datetime, end: datetime
) -> list[RoomProblem]:
    access.require_coordinator("see dates without a room")
    return [
        as_struct(RoomProblem)(r, detail=f"no room for {r['local_date']:%-d %B}: {r['venue_name']} declined")
        for r in await rows(
            queries.room_problems(
                conn, organisation_id=access.organisation_id, starts_from=start, starts_before=end
            )
        )
    ]


# --- the worker -----------------------------------------------------------------------------


async def remind(conn: asyncpg.Connection, clock: Clock, public_base: str) -> dict[str, int]:
    """After the partner's days without an answer: one reminder; as many days later, the
    borrowing coordinators are told. Each step once (a row per request records it)."""
    done = {"reminded": 0, "coordinators_told": 0}
    async with conn.transaction():
        for request in await rows(queries.unanswered_requests(conn, now=clock.now())):
            if request["reminded_at"] is None:
                await _text_contacts(
                    conn, clock, request, "booking_reminder", f"booking-reminder:{request['id']}", public_base
                )
                await queries.mark_reminded(conn, id=request["id"], now=clock.now())
                done["reminded"] += 1
                continue
            await answers.tell_borrowers(
                conn,
                clock,
                request,
                "booking_unanswered",
                f"booking-unanswered:{request['id']}",
                request["first_waiting"],
                number=request["waiting"],
            )
            await queries.mark_escalated(conn, id=request["id"], now=clock.now())
            done["coordinators_told"] += 1
    return done


async def tell_partners(conn: asyncpg.Connection, clock: Clock, public_base: str) -> int:
    """Bookings whose occurrence moved or was cancelled: the room's contacts hear of it once per
    change; a move outside the confirmed time asks them again, with the link."""
    told = 0
    async with conn.transaction():
        for change in await rows(queries.changes_to_tell(conn)):
            request = await queries.get_request(conn, id=change["request_id"])
            for contact in await rows(queries.contacts_of(conn, venue_id=change["venue_id"])):
                await notices.tell(
                    conn,
                    clock,
                    contact["id"],
                    key=f"booking-{change['change']}:{change['id']}:{change['changed_at'].timestamp():.0f}:{contact['id']}",
                    template=f"booking_{change['change']}",
                    organisation_id=request["organisation_id"],
                    before=change["starts_at"],
                    room=change["venue_name"],
                    what=change["title"],
                    moment=change["starts_at"],
                    code=change["code"],
                    link=await dates.booking_link(
                        conn, public_base, request["id"], contact["id"], change["ends_at"]
                    )
                    if change["change"] == "moved"
                    else "",
                )
            await queries.mark_told(conn, id=change["id"], changed_at=change["changed_at"])
            told += 1
    return told
