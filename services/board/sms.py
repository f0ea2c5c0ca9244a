"""Texts that did not arrive, on the board: each with what to do, and "send it again" where that is
the coordinator's call (the service never resends a text of unknown fate by itself)."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from services.http import ClockDep, Conn, PathId
from services.pages.session import BoardAccess, BoardPages, board_page, require_form_token
from services.problems import NotFound
from services.rota import service as rota
from services.sms import outbox


class SmsProblemsController(BoardPages):
    path = "/board/sms"

    @get("/")
    async def sms_problems(
        self, request: Request, conn: Conn, board_access: BoardAccess, sent_again: FromQuery[bool] = False
    ) -> Template:
        board_access.require_coordinator("see SMS problems")
        found = await outbox.problems(conn, board_access.organisation_id, 0, 200)
        names = await rota.labels(
            conn, board_access, set(), set(), {m.person_id for m in found if m.person_id}
        )
        return await board_page(
            request,
            conn,
            board_access,
            "board/sms_problems.html",
            problems=found,
            names=names["people"],
            sent_again=sent_again,
        )

    @post("/{outbox_id:int}/send-again")
    async def send_sms_again(
        self, request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, outbox_id: PathId
    ) -> Response:
        await require_form_token(request, conn)
        board_access.require_coordinator("send SMS again")
        if not await outbox.send_again(conn, clock, board_access.organisation_id, outbox_id):
            raise NotFound(f"There is no message {outbox_id} to send again.", code="sms-not-found")
        return Redirect("/board/sms?sent_again=true", status_code=303)
