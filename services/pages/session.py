"""Coordinators sign in to the pages with their token link (`/board/sign-in?token=…`, printed by
`volops issue-token`), by pasting the token, or with a code texted to their proven number. The
browser then holds a session kept on the server (services/access/sessions.py): the HttpOnly
cookie carries only the session's id, every form carries a field derived from it, so another site
cannot post in their name, and signing out ends the session at once. A sign-in for another
organisation (or person) than the one this browser is signed in to asks first."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from litestar import Request, Response, get, post
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from schemas.forms import CodeForm, LanguageForm, PhoneForm, SignInForm
from services.access import links
from services.access.service import Access, access_of, authenticate
from services.http import ClockDep, Conn, client_address
from services.inbox import waiting
from services.organisations import service as organisations
from services.pages import render as pages
from services.pages.form_cookie import browser_form_token, check_browser_form_token
from services.pages.kit import PageCall, SessionKit
from services.problems import Forbidden, ProblemError, Unauthorized
from services.signin import service as signin

BOARD = "/board"
BOARD_KIT = SessionKit("board", "volops_session", BOARD)


SWITCH = "board-switch"  # a signed choice to sign in as (person, organisation, token or 0)


def _switch_purpose(request: Request) -> str:
    """A choice works only in the browser it was shown to (its form cookie), within minutes."""
    return f"{SWITCH}:{browser_form_token(request)}"


SWITCH_VALID = timedelta(minutes=10)


async def signed_out(request: Request, conn, clock) -> Response:
    """This browser's session ended, to the sign-in page, the cookie dropped."""
    return Redirect(f"{BOARD}/sign-in", status_code=303, cookies=[await BOARD_KIT.end(request, conn, clock)])


def sign_in_link(public_base: str, secret: str) -> str:
    """The link that signs a coordinator in to the board (the token leaves the address bar)."""
    return f"{public_base}{BOARD}/sign-in?token={secret}"


require_form_token = BOARD_KIT.require_form_token


def _on_board_problem(request: Request, exc: ProblemError) -> Template:
    """A board page without a working session shows the sign-in page, with why (unless they
    simply had not signed in yet), and drops the dead cookie."""
    if exc.status != 401:
        return pages.on_problem(request, exc)
    language = pages.language_of(request)
    return pages.page(
        "pages/sign_in.html",
        language,
        status=401,
        cookies=[BOARD_KIT.cookie_for(request, None)],
        problem="" if exc.code == "no-token" else pages.problem_words(language, exc),
    )


class BoardCall(PageCall):
    """A signed-in coordinator's page request (`board` in a handler)."""

    __slots__ = ()
    kit = BOARD_KIT
    missing = "no-token"

    @staticmethod
    def allowed(request: Request, access: Access) -> Access:
        if not access.is_coordinator:
            raise Forbidden("Only coordinators use the board.", code="coordinator-only")
        return access

    async def frame(self, context: dict) -> dict:
        """Her organisation in the header (read here unless the handler already has it), and how
        many texts wait in the inbox."""
        organisation = context.pop("organisation", None)
        return context | {
            "organisation": organisation
            or await organisations.get(self.conn, self.access, self.access.organisation_id),
            "inbox_waiting": await waiting.how_many_waiting(self.conn, self.access),
        }


Board = NamedDependency[BoardCall]


BOARD_EXCEPTION_HANDLERS = pages.EXCEPTION_HANDLERS | {ProblemError: _on_board_problem}


class BoardPages(pages.PageController):
    """The controllers of signed-in coordinators' pages: `board` from the session, a
    missing or dead session answered with the sign-in page."""

    dependencies = {"board": Provide(BoardCall.provide)}
    exception_handlers = BOARD_EXCEPTION_HANDLERS


async def _start(request: Request, conn, clock, access: Access, token_id: int | None = None) -> Response:
    """A board session for `access`, unless this browser is signed in as someone else or to
    another organisation: then it is asked first."""
    if not access.is_coordinator:
        raise Forbidden("Only coordinators use the board.", code="coordinator-only")
    signed_in = await BOARD_KIT.current(request, conn, clock)
    if signed_in is not None and (signed_in.organisation_id, signed_in.person_id) != (
        access.organisation_id,
        access.person_id,
    ):
        return await _switch_page(request, conn, clock, signed_in, [access], token_id)
    cookie = await BOARD_KIT.start(request, conn, clock, access, token_id)
    # 303 to a URL without the token: it leaves the address bar and the browser history.
    return Redirect(BOARD, status_code=303, cookies=[cookie])


async def _switch_page(
    request: Request, conn, clock, signed_in: Access | None, choices: list[Access], token_id: int | None
) -> Template:
    """Which organisation to sign in to: asked when the browser is signed in elsewhere, or when
    one proven number coordinates in several organisations. Each choice is a signed value."""
    found = []
    for choice in choices:
        ids = (choice.person_id, choice.organisation_id, token_id or 0)
        expires = clock.now() + SWITCH_VALID
        found.append(
            {
                "organisation": await organisations.name_of(conn, choice.organisation_id),
                "switch": await links.sign(conn, _switch_purpose(request), ids, expires),
            }
        )
    current = await organisations.name_of(conn, signed_in.organisation_id) if signed_in else None
    return pages.page(
        "pages/sign_in_choose.html",
        pages.language_of(request),
        choices=found,
        current=current,
        csrf=await BOARD_KIT.form_token(request, conn),
    )


async def _with_token(request: Request, conn, clock, token: str) -> Response:
    """A sign-in link or a pasted key: an API token (a page link is for the volunteer's pages)."""
    access = await authenticate(conn, clock, f"Bearer {token.strip()}", via="page")
    pages.remember_language(request, access.language)
    return await _start(request, conn, clock, access, access.token_id)


class SignInController(pages.PageController):
    path = BOARD
    exception_handlers = BOARD_EXCEPTION_HANDLERS

    @get("/sign-in")
    async def sign_in_page(
        self, request: Request, conn: Conn, clock: ClockDep, token: FromQuery[str | None] = None
    ) -> Response:
        if token:
            return await _with_token(request, conn, clock, token)
        return pages.page("pages/sign_in.html", pages.language_of(request), problem="")

    @post("/sign-in")
    async def sign_in(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        data: Annotated[SignInForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        if not data.token.strip():
            raise Unauthorized("Sign in with your link.", code="no-token")
        return await _with_token(request, conn, clock, data.token)

    @post("/sign-in/switch")
    async def switch(self, request: Request, conn: Conn, clock: ClockDep) -> Response:
        """The organisation chosen on the page that asked: signed by us minutes ago for this browser."""
        await require_form_token(request, conn)
        form = await request.form()
        person_id, organisation_id, token_id = await links.open_link(
            conn, _switch_purpose(request), str(form.get("switch", "")), clock.now()
        )
        chosen = await access_of(conn, person_id, organisation_id)
        cookie = await BOARD_KIT.start(request, conn, clock, chosen, token_id or None)
        return Redirect(BOARD, status_code=303, cookies=[cookie])

    @post("/sign-in/code")
    async def ask_for_code(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        data: Annotated[PhoneForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        """The same answer for any number: a code is on its way if it belongs to a coordinator."""
        await signin.ask(conn, clock, data.phone, client_address(request))
        return pages.page("pages/sign_in_code.html", pages.language_of(request), phone=data.phone, problem="")

    @post("/sign-in/code/check")
    async def check_code(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        coordinators = await signin.check(conn, clock, data.phone, data.code)
        if not coordinators:
            language = pages.language_of(request)
            wrong = pages.problem_words(language, Unauthorized("The code does not work.", code="bad-code"))
            return pages.page(
                "pages/sign_in_code.html", language, status=401, phone=data.phone, problem=wrong
            )
        if len(coordinators) > 1:  # one proven number, coordinating in several organisations
            signed_in = await BOARD_KIT.current(request, conn, clock)
            return await _switch_page(request, conn, clock, signed_in, coordinators, None)
        return await _start(request, conn, clock, coordinators[0])

    @post("/sign-out")
    async def sign_out(self, request: Request, conn: Conn, clock: ClockDep) -> Response:
        await require_form_token(request, conn)
        return await signed_out(request, conn, clock)


class LanguageController(pages.PageController):
    """The language switcher on every page: a cookie, then back to the page it was pressed on."""

    path = "/language"

    @post("/")
    async def choose_language(
        self,
        request: Request,
        data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        check_browser_form_token(request, data.form_key)
        local = data.back.startswith("/") and not data.back.startswith("//") and "\\" not in data.back
        return Redirect(
            data.back if local else BOARD, status_code=303, cookies=[pages.language_cookie(data.to)]
        )
