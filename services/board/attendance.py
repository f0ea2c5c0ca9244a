"""A week's attendance in one form: every date of the week that has begun, everyone on it, came or
did not come; saved all at once. The plan and the month's report link here for what is unmarked."""

from __future__ import annotations

from datetime import timedelta
from itertools import groupby

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.assignments import attendance
from services.board.plan import week_window
from services.pages.session import Board, BoardPages

MARK_FIELD = "attendance-"


class AttendanceController(BoardPages):
    path = "/board/attendance"

    @get("/")
    async def week_form(
        self, board: Board, week: FromQuery[str | None] = None, saved: FromQuery[int | None] = None
    ) -> Template:
        organisation, monday, start, end = await week_window(board.conn, board.clock, board.access, week)
        found = await attendance.past_shifts(board.conn, board.clock, board.access, start, end)
        return await board.page(
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
    async def save_week(self, board: Board) -> Response:
        """Every mark of the form, all or none (a date of another week or organisation: not found)."""
        form = await board.form()
        _organisation, monday, start, end = await week_window(
            board.conn, board.clock, board.access, form.get("week")
        )
        on_the_week = {
            s.id for s in await attendance.past_shifts(board.conn, board.clock, board.access, start, end)
        }
        marks = {
            assignment_id: str(form.get(f"{MARK_FIELD}{assignment_id}"))
            for assignment_id in on_the_week
            if form.get(f"{MARK_FIELD}{assignment_id}")
        }
        marked = await attendance.mark_all(board.conn, board.clock, board.access, marks)
        return Redirect(f"/board/attendance?week={monday}&saved={marked}#saved", status_code=303)
