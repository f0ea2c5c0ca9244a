"""A partner contact's own page (signed in with her personal link, as a volunteer is): every room
she answers for and every date asked of them, answered one by one or all at once, a confirmed
date withdrawn when the room is needed after all. The bookings service decides, as for her SMS."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.response import Redirect, Template

from services.bookings import answers as booking_answers
from services.bookings import contacts as room_contacts
from services.bookings import dates as booking_dates
from services.bookings import venues
from services.my.session import ME, Me, MePages
from services.problems import NotFound


def _chosen(form, dates: list, now) -> tuple[list, bool]:
    """The dates a press names, and whether it confirms."""
    if form.get("confirm_all"):
        return booking_dates.still_waiting(dates, now), True
    confirm = "confirm" in form
    wanted = str(form.get("confirm" if confirm else "decline", ""))
    chosen = [b for b in dates if str(b.id) == wanted]
    if not chosen:
        raise NotFound("That date does not belong to your rooms.", code="booking-not-found")
    return chosen, confirm


class MyRoomsController(MePages):
    path = f"{ME}/rooms"

    @get("/")
    async def rooms(self, me: Me) -> Template:
        dates = await room_contacts.dates_for_contact(me.conn, me.clock, me.access.person_id)
        waiting = booking_dates.still_waiting(dates, me.clock.now())
        return await me.page(
            "partner/my_rooms.html",
            venues=await venues.venues_of_contact(me.conn, me.access.person_id),
            waiting=waiting,
            confirmed=[b for b in dates if b.status == "confirmed"],
            clashes=await room_contacts.clashes(me.conn, waiting),
        )

    @post("/")
    async def answer(self, me: Me) -> Response:
        form = await me.form()
        dates = await room_contacts.dates_for_contact(me.conn, me.clock, me.access.person_id)
        chosen, confirm = _chosen(form, dates, me.clock.now())
        # A date answered already (a second tap, another contact) is simply shown as it is now.
        await booking_answers.answer(me.conn, me.clock, me.access.person_id, chosen, confirm, "page")
        return Redirect(f"{ME}/rooms?answered=1", status_code=303)
