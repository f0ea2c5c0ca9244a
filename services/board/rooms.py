"""Rooms borrowed from partner congregations, from the board: dates left without a room, asking
for a room for a series over a period (or another room for one date), and each request's answers.
A refused request is shown on the page with the field it concerns; the service decides, as for the
API."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.bookings import BookingAsk
from schemas.forms import RoomForm, RoomRequestForm
from services.activities import service as activities
from services.bookings import service as bookings
from services.bookings import venues
from services.http import ClockDep, Conn, PublicBase
from services.pages import render as pages
from services.pages.session import BoardAccess, BoardPages, board_page, posted
from services.pagination import Cursor
from services.problems import ProblemError

FIELD_OF_CODE = {
    "bad-period": "to_date",
    "no-dates": "from_date",
    "venue-not-found": "venue_id",
    "activity-not-found": "activity_id",
}


class RoomsController(BoardPages):
    path = "/board/rooms"

    async def _page(self, request, conn, clock, access, *, asked=None, form=None, errors=None, status=200):
        now = clock.now()
        listed = (await activities.list_activities(conn, access, Cursor(0, 200))).items
        rooms = await venues.list_venues(conn, access)
        return await board_page(
            request,
            conn,
            access,
            "board/rooms.html",
            status=status,
            problems=await bookings.room_problems(conn, access, now, now + timedelta(weeks=26)),
            venues=rooms,
            requests=await bookings.list_requests(conn, access),
            activity_options=[(a.id, a.title) for a in listed if a.organisation_id == access.organisation_id],
            venue_options=[(v.id, f"{v.name} ({v.organisation_name})") for v in rooms],
            asked=asked,
            form=form or {"activity_id": "", "venue_id": "", "from_date": "", "to_date": ""},
            errors=errors or {},
        )

    @get("/")
    async def rooms_page(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        asked: FromQuery[str | None] = None,
    ) -> Template:
        return await self._page(request, conn, clock, board_access, asked=asked)

    @post("/request")
    async def ask_for_a_room(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        public_base: PublicBase,
    ) -> Response:
        """Every scheduled date of a series in a period, asked of one room."""
        try:
            form = await posted(request, conn, RoomRequestForm)
            made = await bookings.ask(
                conn,
                clock,
                board_access,
                BookingAsk(
                    activity_id=form.activity_id,
                    venue_id=form.venue_id,
                    from_date=form.from_date,
                    to_date=form.to_date,
                ),
                public_base,
            )
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused, FIELD_OF_CODE)
            typed = await request.form()
            return await self._page(
                request,
                conn,
                clock,
                board_access,
                form={key: typed.get(key, "") for key in RoomRequestForm.__struct_fields__},
                errors=shown.errors,
                status=shown.status,
            )
        return Redirect(f"/board/rooms?{urlencode({'asked': made.venue_name})}", status_code=303)

    @post("/ask")
    async def ask_for_another_room(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        public_base: PublicBase,
    ) -> Response:
        form = await posted(request, conn, RoomForm)
        made = await bookings.ask(
            conn,
            clock,
            board_access,
            BookingAsk(
                activity_id=form.activity_id, venue_id=form.venue_id, occurrence_id=form.occurrence_id
            ),
            public_base,
        )
        return Redirect(f"/board/rooms?{urlencode({'asked': made.venue_name})}", status_code=303)
