"""A partner's answers, date by date: from its contacts' page, its own link or "JA 731" by SMS.
PostgreSQL refuses two confirmed bookings of one room that overlap; the partner is then told which
booking holds the room, and the date keeps waiting. The borrowers hear of what changed."""

from __future__ import annotations

from dataclasses import dataclass, field

import asyncpg

from schemas.bookings import Booking, IncomingBooking
from services.access.service import Access
from services.bookings import dates
from services.bookings.dates import BookingDate, Holder
from services.bookings.queries import queries
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.notices import texts
from services.problems import Conflict, NotFound, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"booking-not-found": N_("That date does not belong to this request.")})


@dataclass
class Answered:
    confirmed: list[int] = field(default_factory=list)
    declined: list[int] = field(default_factory=list)
    clashes: dict[int, Holder] = field(default_factory=dict)  # booking → the booking holding the room
    already: list[int] = field(default_factory=list)  # answered before (a second tap, a second SMS)
    withdrawn: list[int] = field(default_factory=list)  # confirmed, then declined after all


async def answer(
    conn: asyncpg.Connection,
    clock: Clock,
    person_id: int,
    bookings: list[BookingDate],
    confirm: bool,
    via: str,
) -> Answered:
    """Answer dates one by one; a date whose room is taken by another confirmed booking keeps
    waiting, and the answer says which booking holds it."""
    done = Answered()
    for booking in bookings:
        try:
            async with conn.transaction():
                changed = await queries.answer_booking(
                    conn,
                    id=booking.id,
                    status="confirmed" if confirm else "declined",
                    person_id=person_id,
                    via=via,
                    now=clock.now(),
                )
        except asyncpg.ExclusionViolationError:
            holder = await queries.holder_of(conn, venue_id=booking.venue_id, booking_id=booking.id)
            done.clashes[booking.id] = as_struct(Holder)(holder)
            continue
        if changed is None:
            done.already.append(booking.id)
        elif changed["was"] == "confirmed":
            done.withdrawn.append(booking.id)
            await _tell_withdrawn(conn, clock, booking.id)
        else:
            (done.confirmed if confirm else done.declined).append(booking.id)
    return done


async def _tell_withdrawn(conn: asyncpg.Connection, clock: Clock, booking_id: int) -> None:
    """A confirmed room the partner needs after all: the borrowing coordinators hear of it at once
    (the date also shows among the dates without a room)."""
    facts = await queries.booking_facts(conn, id=booking_id)
    await tell_borrowers(
        conn,
        clock,
        facts,
        "booking_withdrawn",
        f"booking-withdrawn:{booking_id}",
        facts["starts_at"],
        moment=facts["starts_at"],
    )


async def tell_borrowers(
    conn, clock: Clock, about: asyncpg.Record, template: str, key: str, before, **fields
) -> None:
    """A text about a room (its title and venue) to the borrowing organisation's coordinators."""
    await notices.tell_on_duty(
        conn,
        clock,
        about["organisation_id"],
        everyone=True,
        key=key,
        template=template,
        before=before,
        room=about["venue_name"],
        what=about["title"],
        **fields,
    )


async def answer_as_partner(
    conn: asyncpg.Connection, clock: Clock, access: Access, booking_id: int, confirm: bool
) -> Booking:
    """The token API for a partner contact (or the partner's coordinator)."""
    row = await queries.booking_for_partner(conn, id=booking_id, organisation_id=access.organisation_id)
    booking = as_struct(BookingDate)(row) if row is not None else None
    if booking is None or not (
        access.is_coordinator
        or await queries.contact_of(conn, venue_id=booking.venue_id, person_id=access.person_id)
    ):
        raise NotFound(f"There is no booking {booking_id} of your rooms.", code="booking-not-found")
    done = await answer(conn, clock, access.person_id, [booking], confirm, "api")
    if booking_id in done.clashes:
        holder = done.clashes[booking_id]
        raise Conflict(
            f"The room is already booked then: {holder.title} ({holder.borrower_name}) on "
            f"{holder.local_date}. Nothing was changed.",
            code="room-taken",
        )
    if booking_id in done.already:
        raise Conflict("This date was answered already.", code="already-answered")
    return next(
        dates.as_booking(b)
        for b in await rows(queries.bookings_of_request(conn, request_id=booking.request_id))
        if b["id"] == booking_id
    )


async def incoming(conn: asyncpg.Connection, clock: Clock, access: Access) -> list[IncomingBooking]:
    if not access.roles & {"coordinator", "partner_contact"}:
        access.require_coordinator("see the dates asked of your rooms")
    found = await rows(queries.incoming(conn, organisation_id=access.organisation_id, now=clock.now()))
    return [as_struct(IncomingBooking)(row) for row in found]


async def answer_by_sms(
    conn: asyncpg.Connection,
    clock: Clock,
    person_id: int,
    language: str,
    code: str,
    yes: bool,
    public_base: str,
) -> str | None:
    """A partner contact's "JA 731" / "NEJ 731": every date of the request still waiting."""
    request = await queries.request_by_code(conn, person_id=person_id, code=code)
    if request is None:
        return None
    waiting = dates.still_waiting(
        dates.as_dates(await rows(queries.bookings_of_request(conn, request_id=request["id"]))), clock.now()
    )
    if not waiting:
        return texts.write("booking_nothing", language)
    done = await answer(conn, clock, person_id, waiting, yes, "sms")
    if done.clashes:
        link = await dates.booking_link(conn, public_base, request["id"], person_id, waiting[-1].ends_at)
        return texts.write("booking_clash", language, number=len(done.clashes), link=link)
    if yes:
        return texts.write("booking_confirmed", language, number=len(done.confirmed))
    return texts.write("booking_declined", language, number=len(done.declined))
