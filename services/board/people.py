"""The organisation's people: a list with search and paging, a form to add someone, and the import
from a spreadsheet (one person's own page is person.py). The forms are turned into the API's own
contracts (PersonCreate, PersonUpdate) and go to the same service functions."""

from __future__ import annotations

from urllib.parse import urlencode

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.people import PersonCreate
from services.http import PathId
from services.pages import render as pages
from services.pages.session import Board, BoardPages
from services.pagination import Cursor
from services.people import import_rows, importing
from services.people import service as people
from services.privacy import retention
from services.problems import ProblemError
from services.words import LANGUAGES

PAGE_SIZE = 50
FIELD_OF_CODE = {"bad-phone": "phone", "phone-taken": "phone", "bad-time-zone": "time_zone"}
TYPED = ("display_name", "phone", "language")
EMPTY = dict.fromkeys(TYPED, "") | {"sms_consent": False, "shares_phone": False}


def person_form(form, *, new: bool) -> dict:
    """What the form says, in the API contract's terms (a checkbox absent means no)."""
    values = {key: form.get(key, "") for key in TYPED}
    values["sms_consent"] = form.get("sms_consent") == "true"
    values["shares_phone"] = form.get("shares_phone") == "true"
    if new:
        values["roles"] = [form.get("role") or "volunteer"]
    return values


async def shown_again(board: Board, template: str, refused: ProblemError, **context) -> Template:
    """The form again as sent, the refused field marked, nothing saved."""
    shown = board.refused(refused, FIELD_OF_CODE)
    typed = person_form(await board.request.form(), new=False)
    return await board.page(template, status=shown.status, form=typed, errors=shown.errors, **context)


class PeopleController(BoardPages):
    path = "/board/people"

    async def _listing(self, conn, access, search: str | None, after: str | None) -> dict:
        listed = await people.list_people(conn, access, Cursor.parse(after, PAGE_SIZE), search)
        return {
            "people": listed.items,
            "next_cursor": listed.next_cursor,
            "search": search or "",
            "languages": LANGUAGES,
        }

    @get("/")
    async def people_page(
        self,
        board: Board,
        q: FromQuery[str | None] = None,
        cursor: FromQuery[str | None] = None,
        saved: FromQuery[str | None] = None,
    ) -> Template:
        return await board.page(
            "board/people.html",
            form=EMPTY,
            errors={},
            saved=saved,
            inactive=await retention.inactive(board.conn, board.clock, board.access),
            **await self._listing(board.conn, board.access, q, cursor),
        )

    @post("/{person_id:int}/keep")
    async def keep_inactive(self, board: Board, person_id: PathId) -> Response:
        """Keep an inactive volunteer: she is never anonymised for inactivity."""
        form = await board.form()
        await retention.keep(board.conn, board.access, person_id, form.get("keep") == "true")
        return Redirect("/board/people#inactive", status_code=303)

    @post("/")
    async def add_person(self, board: Board) -> Response:
        form = await board.form()
        try:
            data = pages.form_as(person_form(form, new=True), PersonCreate)
            made = await people.create_person(board.conn, board.clock, board.access, data, board.public_base)
        except ProblemError as refused:
            listing = await self._listing(board.conn, board.access, None, None)
            return await shown_again(board, "board/people.html", refused, saved=None, **listing)
        return Redirect(f"/board/people?{urlencode({'saved': made.display_name})}", status_code=303)

    @get("/import")
    async def import_page(self, board: Board, done: FromQuery[str | None] = None) -> Template:
        board.access.require_coordinator("import people")
        parts = (done or "").split("-")
        counts = (
            dict(zip(("created", "updated", "unchanged"), parts, strict=False)) if len(parts) == 3 else {}
        )
        return await self._import_page(board, done=counts)

    async def _import_page(
        self, board: Board, *, status=200, report=None, problem="", row_problems=None, done=None
    ):
        return await board.page(
            "board/people_import.html",
            status=status,
            report=report,
            row_problems=(report.errors if report else row_problems) or [],
            problem=problem,
            done=done or {},
            column_words=import_rows.COLUMN_WORDS,
        )

    @post("/import")
    async def import_spreadsheet(self, board: Board) -> Response:
        """The API's import, row problems in the reader's words; rows left out are listed on the
        page itself (importing the same file again changes nothing)."""
        form = await board.form()
        upload = form.get("file")
        data = await upload.read() if hasattr(upload, "read") else b""
        language = board.language
        try:
            report = await importing.import_for(
                board.conn,
                board.clock,
                board.access,
                data,
                skip_invalid=form.get("skip_invalid") == "true",
                words=language,
                public_base=board.public_base,
            )
        except ProblemError as refused:
            shown = board.refused(refused)
            return await self._import_page(
                board, status=shown.status, problem=shown.problem, row_problems=refused.errors
            )
        if report.errors:
            return await self._import_page(board, report=report)
        done = f"{report.created}-{report.updated}-{report.unchanged}"
        return Redirect(f"/board/people/import?done={done}", status_code=303)
