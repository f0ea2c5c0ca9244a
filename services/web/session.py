"""Coordinators sign in to the pages with their token link (`/board/sign-in?token=…`, printed by
`volops issue-token`) or by pasting the token. The token then travels in an HttpOnly cookie, and
every form carries a field derived from it, so another site cannot post in their name."""

from __future__ import annotations

from typing import Annotated, TypeVar

from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.di import NamedDependency, Provide
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromQuery
from litestar.response import Redirect, Template

from schemas.forms import CodeForm, LanguageForm, PhoneForm, SignInForm
from services.access.links import check_form_token, form_token
from services.access.service import Access, authenticate, hash_secret
from services.http import ClockDep, Conn
from services.organisations import service as organisations
from services.problems import Forbidden, ProblemError, Unauthorized
from services.signin import service as signin
from services.web import pages

COOKIE = "volops_session"
BoardAccess = NamedDependency[Access]  # a signed-in coordinator, from the session cookie
BOARD = "/board"
T = TypeVar("T")


def signed_out(request: Request) -> Response:
    """To the sign-in page, the session cookie dropped."""
    return Redirect(f"{BOARD}/sign-in", status_code=303, cookies=[_session_cookie(request, None)])


def sign_in_link(public_base: str, secret: str) -> str:
    """The link that signs a coordinator in to the board (the token leaves the address bar)."""
    return f"{public_base}{BOARD}/sign-in?token={secret}"


def _session_cookie(request: Request, token: str | None) -> Cookie:
    secure = request.app.state.settings.public_base.startswith("https:")
    return Cookie(
        key=COOKIE,
        value=token or "",
        path=BOARD,
        httponly=True,
        secure=secure,
        samesite="lax",  # sent when the link is opened from another app, never on another site's POST
        max_age=30 * 24 * 3600 if token else 0,
    )


def session_key(request: Request) -> str:
    """What a form token is derived from: the hash of the signed-in token, never the token."""
    return hash_secret(request.cookies.get(COOKIE, "")).hex()


async def provide_board_access(request: Request, conn: Conn, clock: ClockDep) -> Access:
    token = request.cookies.get(COOKIE)
    if not token:
        raise Unauthorized("Sign in with your link.", code="no-token")
    access = await authenticate(conn, clock, f"Bearer {token}", via="page")
    pages.remember_language(request, access.language)
    if not access.is_coordinator:
        raise Forbidden("Only coordinators use the board.", code="coordinator-only")
    return access


async def require_form_token(request: Request, conn: Conn) -> None:
    """Every POST of a signed-in page: the form must have been rendered for this session."""
    form = await request.form()
    if not await check_form_token(conn, session_key(request), str(form.get("csrf", ""))):
        raise Forbidden("The form was too old.", code="form-expired")


async def posted(request: Request, conn: Conn, struct: type[T]) -> T:
    """A signed-in page's form: rendered for this session, and checked as its contract says."""
    await require_form_token(request, conn)
    return pages.form_as(await request.form(), struct)


def _on_board_problem(request: Request, exc: ProblemError) -> Template:
    """A board page without a working session shows the sign-in page, with why (unless they
    simply had not signed in yet), and drops the dead cookie."""
    if exc.status != 401:
        return pages.on_problem(request, exc)
    language = pages.language_of(request)
    return pages.page(
        "sign_in.html",
        language,
        status=401,
        cookies=[_session_cookie(request, None)],
        problem="" if exc.code == "no-token" else pages.problem_words(language, exc),
    )


# For the controllers of signed-in coordinators' pages: the session's access as `board_access`.
BOARD_DEPENDENCIES = {"board_access": Provide(provide_board_access)}
BOARD_EXCEPTION_HANDLERS = pages.EXCEPTION_HANDLERS | {ProblemError: _on_board_problem}


class BoardPages(pages.PageController):
    """The controllers of signed-in coordinators' pages: `board_access` from the session, a
    missing or dead session answered with the sign-in page."""

    dependencies = BOARD_DEPENDENCIES
    exception_handlers = BOARD_EXCEPTION_HANDLERS


async def board_page(
    request: Request, conn, access: Access, template: str, *, status: int = 200, organisation=None, **context
) -> Template:
    """A signed-in coordinator's page: their organisation in the header (read here unless the
    handler already has it), a form token for its forms."""
    return pages.page(
        template,
        pages.language_of(request),
        status=status,
        organisation=organisation or await organisations.get(conn, access, access.organisation_id),
        csrf=await form_token(conn, session_key(request)),
        **context,
    )


async def _start(request: Request, conn: Conn, clock: ClockDep, token: str) -> Response:
    token = token.strip()
    access = await authenticate(conn, clock, f"Bearer {token}", via="page")
    pages.remember_language(request, access.language)
    if not access.is_coordinator:
        raise Forbidden("Only coordinators use the board.", code="coordinator-only")
    # 303 to a URL without the token: it leaves the address bar and the browser history.
    return Redirect(BOARD, status_code=303, cookies=[_session_cookie(request, token)])


class SignInController(pages.PageController):
    path = BOARD
    exception_handlers = BOARD_EXCEPTION_HANDLERS

    @get("/sign-in")
    async def sign_in_page(
        self, request: Request, conn: Conn, clock: ClockDep, token: FromQuery[str | None] = None
    ) -> Response:
        if token:
            return await _start(request, conn, clock, token)
        return pages.page("sign_in.html", pages.language_of(request), problem="")

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
        return await _start(request, conn, clock, data.token)

    @post("/sign-in/code")
    async def ask_for_code(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        data: Annotated[PhoneForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        """The same answer for any number: a code is on its way if it belongs to a coordinator."""
        await signin.ask(conn, clock, data.phone, request.client.host if request.client else "")
        return pages.page("sign_in_code.html", pages.language_of(request), phone=data.phone, problem="")

    @post("/sign-in/code/check")
    async def check_code(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        data: Annotated[CodeForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
    ) -> Response:
        secret = await signin.check(conn, clock, data.phone, data.code)
        if secret is None:
            language = pages.language_of(request)
            wrong = pages.problem_words(language, Unauthorized("The code does not work.", code="bad-code"))
            return pages.page("sign_in_code.html", language, status=401, phone=data.phone, problem=wrong)
        return await _start(request, conn, clock, secret)

    @post("/sign-out")
    async def sign_out(self, request: Request) -> Response:
        return signed_out(request)


class LanguageController(pages.PageController):
    """The language switcher on every page: a cookie, then back to the page it was pressed on."""

    path = "/language"

    @post("/")
    async def choose_language(
        self, data: Annotated[LanguageForm, Body(media_type=RequestEncodingType.URL_ENCODED)]
    ) -> Response:
        local = data.back.startswith("/") and not data.back.startswith("//") and "\\" not in data.back
        return Redirect(
            data.back if local else BOARD, status_code=303, cookies=[pages.language_cookie(data.to)]
        )
