"""A volunteer's weeks on the board: when she can usually come, and the days she is away, kept
for her by a coordinator with the same rules as her own page."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.availability import service as availability
from services.http import Conn, PathId
from services.pages import availability_form
from services.pages import render as pages
from services.pages.session import BoardAccess, BoardPages, board_page, require_form_token
from services.people import service as people
from services.problems import ProblemError


class PersonAvailabilityController(BoardPages):
    path = "/board/people/{person_id:int}/availability"

    async def _availability_page(
        self, request, conn, access, person_id, rows, *, errors=None, status=200, saved=False
    ):
        person = await people.get_person(conn, access, person_id)
        return await board_page(
            request,
            conn,
            access,
            "board/person_availability.html",
            status=status,
            person=person,
            rows=rows,
            errors=errors or {},
            saved=saved,
        )

    @get("/")
    async def availability_page(
        self,
        request: Request,
        conn: Conn,
        board_access: BoardAccess,
        person_id: PathId,
        saved: FromQuery[bool] = False,
    ) -> Template:
        held = await availability.get(conn, board_access, person_id)
        rows = availability_form.as_form(
            held, (await people.get_person(conn, board_access, person_id)).time_zone
        )
        return await self._availability_page(request, conn, board_access, person_id, rows, saved=saved)

    @post("/")
    async def change_availability(
        self, request: Request, conn: Conn, board_access: BoardAccess, person_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        form = await request.form()
        person = await people.get_person(conn, board_access, person_id)
        try:
            data = availability_form.from_form(form, person.time_zone)
            await availability.replace(conn, board_access, person_id, data)
        except ProblemError as refused:
            shown = pages.refused_on_form(request, refused)
            rows = availability_form.typed(form)
            return await self._availability_page(
                request, conn, board_access, person_id, rows, errors=shown.errors, status=shown.status
            )
        return Redirect(f"/board/people/{person_id}/availability?saved=1", status_code=303)
