"""Rooms borrowed from partner congregations, from the board: dates left without a room, asking
for a room for a series over a period (or another room for one date), and each request's answers.
A refused request is shown on the page with the field it concerns; the service decides, as for the
API."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.bookings import BookingAsk
from schemas.forms import RoomForm, RoomRequestForm
from services.activities import service as activities
from services.bookings import service as bookings
from services.bookings import venues
from services.pages.session import Board, BoardPages
from services.pagination import Cursor
from services.problems import ProblemError

FIELD_OF_CODE = {
    "bad-period": "to_date",
    "no-dates": "from_date",
    "venue-not-found": "venue_id",
    "activity-not-found": "activity_id",
}


async def _ask(board: Board, ask: BookingAsk) -> Response:
    """Dates asked of a room: the rooms page again, naming the room."""
    made = await bookings.ask(board.conn, board.clock, board.access, ask, board.public_base)
    return Redirect(f"/board/rooms?{urlencode({'asked': made.venue_name})}", status_code=303)


class RoomsController(BoardPages):
    path = "/board/rooms"

    async def _page(self, board: Board, *, asked=None, form=None, errors=None, status=200):
        now = board.clock.now()
        listed = (await activities.list_activities(board.conn, board.access, Cursor(0, 200))).items
        rooms = await venues.list_venues(board.conn, board.access)
        return await board.page(
            "board/rooms.html",
            status=status,
            problems=await bookings.room_problems(board.conn, board.access, now, now + timedelta(weeks=26)),
            venues=rooms,
            requests=await bookings.list_requests(board.conn, board.access),
            activity_options=[
                (a.id, a.title) for a in listed if a.organisation_id == board.access.organisation_id
            ],
            venue_options=[(v.id, f"{v.name} ({v.organisation_name})") for v in rooms],
            asked=asked,
            form=form or {"activity_id": "", "venue_id": "", "from_date": "", "to_date": ""},
            errors=errors or {},
        )

    @get("/")
    async def rooms_page(self, board: Board, asked: FromQuery[str | None] = None) -> Template:
        return await self._page(board, asked=asked)

    @post("/request")
    async def ask_for_a_room(self, board: Board) -> Response:
        """Every scheduled date of a series in a period, asked of one room."""
        try:
            form = await board.posted(RoomRequestForm)
            return await _ask(
                board,
                BookingAsk(form.activity_id, form.venue_id, from_date=form.from_date, to_date=form.to_date),
            )
        except ProblemError as refused:
            shown = board.refused(refused, FIELD_OF_CODE)
            typed = await board.request.form()
            return await self._page(
                board,
                form={key: typed.get(key, "") for key in RoomRequestForm.__struct_fields__},
                errors=shown.errors,
                status=shown.status,
            )

    @post("/ask")
    async def ask_for_another_room(self, board: Board) -> Response:
        form = await board.posted(RoomForm)
        return await _ask(
            board, BookingAsk(form.activity_id, form.venue_id, occurrence_id=form.occurrence_id)
        )
