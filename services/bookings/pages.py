"""The partner contact's page, opened from the SMS link: every date asked of their room, with
yes / no per date and yes to all. No account, no JavaScript; a link opens only its own request."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from schemas.bookings import BookingAsk
from schemas.common import Id
from services.bookings import service
from services.bookings.queries import queries
from services.bookings.words import WORDS
from services.db import rows
from services.http import ClockDep, Conn
from services.problems import NotFound
from services.rota import words as rota_words
from services.web import pages, session
from services.web.session import BoardAccess, require_form_token


async def _open(request: Request, conn, clock, token: str):
    """The request and the contact a link was signed for; 404 if they no longer answer for it."""
    request_id, person_id = await pages.open_personal_link(
        request, conn, service.BOOKING_LINK, token, clock.now()
    )
    booking_request = await queries.get_request(conn, id=request_id)
    contact = booking_request and await queries.contact_of(
        conn, venue_id=booking_request["venue_id"], person_id=person_id
    )
    if contact is None:
        raise NotFound("This request no longer exists.", code="booking-request-not-found")
    pages.remember_language(request, contact["language"])
    return booking_request, contact


@get("/b/{token:str}")
async def booking_page(request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response[str]:
    booking_request, contact = await _open(request, conn, clock, token)
    bookings = await rows(queries.bookings_of_request(conn, request_id=booking_request["id"]))
    now = clock.now()
    waiting = [b for b in bookings if b["status"] == "requested" and b["starts_at"] > now]
    clashes = {}
    for booking in waiting:
        holder = await queries.holder_of(conn, venue_id=booking["venue_id"], booking_id=booking["id"])
        if holder is not None:
            clashes[booking["id"]] = holder
    return pages.page(
        "booking.html",
        contact["language"],
        WORDS,
        token=token,
        request=booking_request,
        venue=await queries.get_venue(conn, id=booking_request["venue_id"]),
        contact=contact,
        time_zone=contact["time_zone"],
        bookings=bookings,
        waiting=waiting,
        waiting_ids={b["id"] for b in waiting},
        withdrawable={b["id"] for b in bookings if b["status"] == "confirmed" and b["starts_at"] > now},
        past={b["id"] for b in bookings if b["starts_at"] <= now},
        clashes=clashes,
    )


@post("/b/{token:str}")
async def answer_dates(request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response:
    booking_request, contact = await _open(request, conn, clock, token)
    form = await request.form()
    bookings = {
        b["id"]: b
        for b in await rows(queries.bookings_of_request(conn, request_id=booking_request["id"]))
        if b["status"] in ("requested", "confirmed") and b["starts_at"] > clock.now()
    }
    if form.get("confirm_all"):
        chosen, confirm = [b for b in bookings.values() if b["status"] == "requested"], True
    else:
        confirm = "confirm" in form
        try:
            booking_id = int(str(form.get("confirm" if confirm else "decline", "")))
        except ValueError:
            raise NotFound("That date does not belong to this request.", code="booking-not-found") from None
        chosen = [bookings[booking_id]] if booking_id in bookings else []
    # A date answered already (a second tap, another contact) is simply shown as it is now.
    await service.answer(conn, clock, contact["id"], chosen, confirm, "page")
    return Redirect(f"/b/{token}", status_code=303)


# --- the coordinators' rooms page, beside the gap board -------------------------------------

BOARD_WORDS = {language: rota_words.WORDS[language] | WORDS[language] for language in WORDS}


@get("/board/rooms")
async def rooms_page(
    request: Request,
    conn: Conn,
    clock: ClockDep,
    board_access: BoardAccess,
    asked: FromQuery[str | None] = None,
) -> Response[str]:
    now = clock.now()
    return await session.board_page(
        request,
        conn,
        board_access,
        "rooms.html",
        BOARD_WORDS,
        problems=await service.room_problems(conn, board_access, now, now + timedelta(weeks=26)),
        venues=await service.list_venues(conn, board_access),
        requests=await service.list_requests(conn, board_access),
        asked=asked,
    )


class RoomForm(msgspec.Struct):
    activity_id: Id
    occurrence_id: Id
    venue_id: Id


@post("/board/rooms/ask")
async def ask_for_another_room(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
) -> Response:
    await require_form_token(request, conn)
    form = pages.form_as(await request.form(), RoomForm)
    made = await service.ask(
        conn,
        clock,
        board_access,
        BookingAsk(activity_id=form.activity_id, venue_id=form.venue_id, occurrence_id=form.occurrence_id),
        request.app.state.settings.public_base,
    )
    return Redirect(f"/board/rooms?{urlencode({'asked': made.venue_name})}", status_code=303)


def router() -> Router:
    return Router(
        path="/",
        route_handlers=[booking_page, answer_dates],
        exception_handlers=pages.exception_handlers(WORDS),
        include_in_schema=False,
    )


def board_router() -> Router:
    return session.board_router([rooms_page, ask_for_another_room], BOARD_WORDS)
