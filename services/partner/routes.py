"""The partner contact's page, opened from the SMS link: every date asked of their room, with
yes / no per date and yes to all. No account, no JavaScript; a link opens only its own request."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.response import Redirect, Template

from services.bookings import answers as booking_answers
from services.bookings import contacts as room_contacts
from services.bookings import dates as booking_dates
from services.bookings import venues
from services.http import Routes
from services.pages import render as pages
from services.pages.kit import Link, LinkPages
from services.partner.rooms import MyRoomsController
from services.problems import NotFound


async def _open(link: Link):
    request_id, person_id = await link.opened(booking_dates.BOOKING_LINK)
    booking_request, contact = await room_contacts.request_for_contact(link.conn, request_id, person_id)
    pages.remember_language(link.request, contact.language)
    return booking_request, contact


class BookingPageController(LinkPages):
    path = "/b/{token:str}"

    @get("/")
    async def booking_page(self, link: Link) -> Template:
        booking_request, contact = await _open(link)
        dates = await room_contacts.dates_of(link.conn, booking_request.id)
        now = link.clock.now()
        waiting = booking_dates.still_waiting(dates, now)
        return link.page(
            "partner/booking.html",
            token=link.token,
            booking_request=booking_request,
            venue=await venues.venue_for_contact(link.conn, booking_request.venue_id),
            contact=contact,
            time_zone=contact.time_zone,
            bookings=dates,
            waiting=waiting,
            waiting_ids={b.id for b in waiting},
            withdrawable={b.id for b in dates if b.status == "confirmed" and b.starts_at > now},
            past={b.id for b in dates if b.starts_at <= now},
            clashes=await room_contacts.clashes(link.conn, waiting),
        )

    @post("/")
    async def answer_dates(self, link: Link) -> Response:
        booking_request, contact = await _open(link)
        form, now = await link.request.form(), link.clock.now()
        answerable = {
            b.id: b
            for b in await room_contacts.dates_of(link.conn, booking_request.id)
            if b.status in ("requested", "confirmed") and b.starts_at > now
        }
        if form.get("confirm_all"):
            chosen, confirm = booking_dates.still_waiting(list(answerable.values()), now), True
        else:
            confirm = "confirm" in form
            try:
                booking_id = int(str(form.get("confirm" if confirm else "decline", "")))
            except ValueError:
                raise NotFound(
                    "That date does not belong to this request.", code="booking-not-found"
                ) from None
            chosen = [answerable[booking_id]] if booking_id in answerable else []
        # A date answered already (a second tap, another contact) is simply shown as it is now.
        await booking_answers.answer(link.conn, link.clock, contact.id, chosen, confirm, "page")
        return Redirect(f"/b/{link.token}", status_code=303)


ROUTES = Routes(top=(BookingPageController, MyRoomsController))
