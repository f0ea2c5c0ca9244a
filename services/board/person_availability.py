"""A volunteer's weeks on the board: when she can usually come, and the days she is away, kept
for her by a coordinator with the same rules as her own page."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.availability import service as availability
from services.http import PathId
from services.pages import availability_form
from services.pages.session import Board, BoardPages
from services.people import service as people
from services.problems import ProblemError


class PersonAvailabilityController(BoardPages):
    path = "/board/people/{person_id:int}/availability"

    async def _availability_page(
        self, board: Board, person_id, rows, *, errors=None, status=200, saved=False
    ):
        person = await people.get_person(board.conn, board.access, person_id)
        return await board.page(
            "board/person_availability.html",
            status=status,
            person=person,
            rows=rows,
            errors=errors or {},
            saved=saved,
        )

    @get("/")
    async def availability_page(
        self, board: Board, person_id: PathId, saved: FromQuery[bool] = False
    ) -> Template:
        held = await availability.get(board.conn, board.access, person_id)
        rows = availability_form.as_form(
            held, (await people.get_person(board.conn, board.access, person_id)).time_zone
        )
        return await self._availability_page(board, person_id, rows, saved=saved)

    @post("/")
    async def change_availability(self, board: Board, person_id: PathId) -> Response:
        form = await board.form()
        person = await people.get_person(board.conn, board.access, person_id)
        try:
            data = availability_form.from_form(form, person.time_zone)
            await availability.replace(board.conn, board.access, person_id, data)
        except ProblemError as refused:
            shown = board.refused(refused)
            rows = availability_form.typed(form)
            return await self._availability_page(
                board, person_id, rows, errors=shown.errors, status=shown.status
            )
        return Redirect(f"/board/people/{person_id}/availability?saved=1", status_code=303)
