"""A volunteer (or a partner contact) opens the personal link from her SMS: `/my/sign-in?token=…`
starts a session kept on the server (services/access/sessions.py) whose id travels in an HttpOnly
cookie for `/my` only, and the link leaves the address bar. No account, no password. A page link
never carries a coordinator's powers; signing out ends the session at once, and switching the
link off ends every session it opened."""

from __future__ import annotations

from litestar import Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from services.access.service import API_OR_PAGE, Access, authenticate, language_of_token
from services.http import ClockDep, Conn
from services.pages import render as pages
from services.pages.kit import PageCall, SessionKit
from services.people import page_link
from services.people.page_link import PATH as ME
from services.problems import Forbidden, ProblemError, Unauthorized

MY = SessionKit("my", "volops_my", ME)
PAGE_ROLES = {"volunteer", "partner_contact"}


def _for_pages(request: Request, access: Access) -> Access:
    pages.remember_language(request, access.language)
    if not access.roles & PAGE_ROLES:
        raise Forbidden("This page is for volunteers and partners.", code="volunteer-only")
    return access


async def _opened_link(request: Request, conn, clock, token: str | None) -> Access:
    """Who the personal link (or a volunteer's API token) in the address is."""
    if not token:
        raise Unauthorized("Open the link from your SMS.", code="no-page-link")
    try:
        access = await authenticate(conn, clock, f"Bearer {token.strip()}", via="page", scopes=API_OR_PAGE)
    except Unauthorized:
        # An expired or switched-off link: how to get a new one, in her language.
        pages.remember_language(request, await language_of_token(conn, token))
        raise
    return _for_pages(request, access)


def _on_problem(request: Request, exc: ProblemError) -> Template:
    """Without a working link she is told how to get a new one, and the dead cookie goes."""
    if exc.status != 401:
        return pages.on_problem(request, exc)
    language = pages.language_of(request)
    return pages.page("my/me_signed_out.html", language, status=401, cookies=[MY.cookie_for(request, None)])


class MyCall(PageCall):
    """A request for her own pages (`me` in a handler)."""

    __slots__ = ()
    kit = MY
    missing = "no-page-link"
    allowed = staticmethod(_for_pages)

    async def frame(self, context: dict) -> dict:
        """The menu fits what she does: shifts, rooms or both."""
        return context | {"roles": self.access.roles}


Me = NamedDependency[MyCall]


ME_EXCEPTION_HANDLERS = pages.EXCEPTION_HANDLERS | {ProblemError: _on_problem}


class MePages(pages.PageController):
    dependencies = {"me": Provide(MyCall.provide)}
    exception_handlers = ME_EXCEPTION_HANDLERS


class MeSignInController(pages.PageController):
    path = ME
    exception_handlers = ME_EXCEPTION_HANDLERS

    @get("/sign-in")
    async def sign_in(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        token: FromQuery[str | None] = None,
        then: FromQuery[str | None] = None,
    ) -> Response:
        access = await _opened_link(request, conn, clock, token)
        cookie = await MY.start(request, conn, clock, access, access.token_id)
        start = ME if "volunteer" in access.roles else f"{ME}/rooms"  # a partner contact's rooms
        start = page_link.OPENS.get(then or "", start)  # a link made to open her rooms does
        # 303 to an address without the secret: it leaves the address bar and the history.
        return Redirect(start, status_code=303, cookies=[cookie])

    @post("/sign-out")
    async def sign_out(self, request: Request, conn: Conn, clock: ClockDep) -> Response:
        await MY.require_form_token(request, conn)
        return Redirect(f"{ME}/signed-out", status_code=303, cookies=[await MY.end(request, conn, clock)])

    @get("/signed-out")
    async def signed_out(self, request: Request) -> Template:
        return pages.page("my/me_signed_out.html", pages.language_of(request))
