"""Texts that did not arrive, on the board: each with what to do, and "send it again" where that is
the coordinator's call (the service never resends a text of unknown fate by itself)."""

from __future__ import annotations

from litestar import get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Response, Template

from services.http import PathId
from services.pages.session import Board, BoardPages
from services.problems import NotFound
from services.rota import service as rota
from services.sms import outbox


class SmsProblemsController(BoardPages):
    path = "/board/sms"

    @get("/")
    async def sms_problems(self, board: Board, sent_again: FromQuery[bool] = False) -> Template:
        board.access.require_coordinator("see SMS problems")
        found = await outbox.problems(board.conn, board.access.organisation_id, 0, 200)
        names = await rota.labels(
            board.conn, board.access, set(), set(), {m.person_id for m in found if m.person_id}
        )
        return await board.page(
            "board/sms_problems.html", problems=found, names=names["people"], sent_again=sent_again
        )

    @post("/{outbox_id:int}/send-again")
    async def send_sms_again(self, board: Board, outbox_id: PathId) -> Response:
        await board.form()
        board.access.require_coordinator("send SMS again")
        if not await outbox.send_again(board.conn, board.clock, board.access.organisation_id, outbox_id):
            raise NotFound(f"There is no message {outbox_id} to send again.", code="sms-not-found")
        return Redirect("/board/sms?sent_again=true", status_code=303)
