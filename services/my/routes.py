"""The shift page a cover request's SMS links to: the shift, and take it / I can't."""

from __future__ import annotations

from litestar import Response, get, post
from litestar.response import Redirect, Template

from services.access.service import Access
from services.http import Routes
from services.my.session import MeSignInController
from services.my.settings import MineController
from services.my.shifts import MeController
from services.pages import render as pages
from services.pages.kit import Link, LinkPages
from services.places import service as places
from services.rota import cover, cover_pages


async def _shift(link: Link):
    request_id, person_id = await link.opened(cover.SHIFT_LINK)
    return await cover_pages.shift_facts(link.conn, request_id, person_id)


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


async def _answer(link: Link, yes: bool) -> Response:
    facts = await _shift(link)
    async with link.conn.transaction():
        await cover.answer(link.conn, link.clock, facts.person_id, facts.language, facts.code, yes)
    return Redirect(f"/s/{link.token}", status_code=303)


class ShiftPageController(LinkPages):
    path = "/s/{token:str}"

    @get("/")
    async def shift_page(self, link: Link) -> Template:
        facts = await _shift(link)
        pages.remember_language(link.request, facts.language)
        viewer = Access.without_token(facts.person_id, facts.organisation_id, "volunteer", link.language)
        return link.page(
            "my/shift.html",
            facts=facts,
            place=await places.shown(link.conn, facts.place_id, viewer),
            dropoff=await places.shown(link.conn, facts.dropoff_place_id, viewer),  # a driver's drop-off
            state=_state(facts),
            token=link.token,
        )

    @post("/take")
    async def take_shift(self, link: Link) -> Response:
        return await _answer(link, True)

    @post("/no")
    async def say_no(self, link: Link) -> Response:
        return await _answer(link, False)


ROUTES = Routes(top=(ShiftPageController, MeSignInController, MeController, MineController))
