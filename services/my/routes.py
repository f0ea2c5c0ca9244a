"""The shift page a cover request's SMS links to: the shift, and take it / I can't."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.params import FromPath
from litestar.response import Redirect, Template

from services.access.service import Access
from services.http import ClockDep, Conn, Routes
from services.my.session import MeSignInController
from services.my.settings import MineController
from services.my.shifts import MeController
from services.pages import render as pages
from services.places import service as places
from services.rota import cover, cover_pages


async def _shift(request: Request, conn, clock, token: str):
    request_id, person_id = await pages.open_personal_link(
        request, conn, cover.SHIFT_LINK, token, clock.now()
    )
    return await cover_pages.shift_facts(conn, request_id, person_id)


def _state(facts) -> str:
    if facts.occurrence_status == "cancelled":
        return "cancelled"
    if facts.status == "filled":
        return "yours" if facts.filled_by == facts.person_id else "covered"
    if facts.answer == "no":
        return "declined"
    if facts.status == "open" and facts.answer is None:
        return "ask"
    return "closed"


async def _answer(request: Request, conn, clock, token: str, yes: bool) -> Response:
    facts = await _shift(request, conn, clock, token)
    async with conn.transaction():
        await cover.answer(conn, clock, facts.person_id, facts.language, facts.code, yes)
    return Redirect(f"/s/{token}", status_code=303)


class ShiftPageController(pages.PageController):
    path = "/s/{token:str}"

    @get("/")
    async def shift_page(
        self, request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]
    ) -> Template:
        facts = await _shift(request, conn, clock, token)
        pages.remember_language(request, facts.language)
        language = pages.language_of(request)
        viewer = Access.without_token(facts.person_id, facts.organisation_id, "volunteer", language)
        return pages.page(
            "my/shift.html",
            language,
            facts=facts,
            place=await places.shown(conn, facts.place_id, viewer),
            dropoff=await places.shown(conn, facts.dropoff_place_id, viewer),  # a driver's drop-off
            state=_state(facts),
            token=token,
        )

    @post("/take")
    async def take_shift(
        self, request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]
    ) -> Response:
        return await _answer(request, conn, clock, token, True)

    @post("/no")
    async def say_no(self, request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response:
        return await _answer(request, conn, clock, token, False)


ROUTES = Routes(top=(ShiftPageController, MeSignInController, MeController, MineController))
