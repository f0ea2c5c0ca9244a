"""A week's attendance in one form: every date of the week that has begun, everyone on it, came or
did not come; saved all at once. The plan and the month's report link here for what is unmarked."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from litestar import Request, Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.assignments import attendance
from services.board.plan import week_window
from services.http import ClockDep, Conn
from services.pages.session import BoardAccess, BoardPages, board_page, require_form_token

MARK_FIELD = "attendance-"


class AttendanceController(BoardPages):
    path = "/board/attendance"

    @get("/")
    async def week_form(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        board_access: BoardAccess,
        week: FromQuery[str | None] = None,
        saved: FromQuery[int | None] = None,
    ) -> Template:
        organisation, monday, start, end = await week_window(conn, clock, board_access, week)
        found = await attendance.past_shifts(conn, clock, board_access, start, end)
        return await board_page(
            request,
            conn,
            board_access,
            "board/attendance.html",
            organisation=organisation,
            week=monday,
            week_number=monday.isocalendar().week,
            previous=monday - timedelta(days=7),
            next=monday + timedelta(days=7),
            dates=[
                (occurrence_id, list(people))
                for occurrence_id, people in groupby(found, lambda s: s.occurrence_id)
            ],
            unmarked=sum(1 for s in found if not s.attendance),
            saved=saved,
        )

    @post("/")
    async def save_week(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
    ) -> Response:
        """Every mark of the form, all or none (a date of another week or organisation: not found)."""
        await require_form_token(request, conn)
        form = await request.form()
        _organisation, monday, start, end = await week_window(conn, clock, board_access, form.get("week"))
        on_the_week = {s.id for s in await attendance.past_shifts(conn, clock, board_access, start, end)}
        marks = {
            assignment_id: str(form.get(f"{MARK_FIELD}{assignment_id}"))
            for assignment_id in on_the_week
            if form.get(f"{MARK_FIELD}{assignment_id}")
        }
        marked = await attendance.mark_all(conn, clock, board_access, marks)
        return Redirect(f"/board/attendance?week={monday}&saved={marked}#saved", status_code=303)
