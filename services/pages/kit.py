"""What every set of signed-in pages shares, the board's and a person's own (`/my`): a session kept
on the server (services/access/sessions.py) whose id travels in an HttpOnly cookie limited to the
pages' path, a form token derived from that session for every POST, and signing in and out; and
the one argument a page handler takes (PageCall, or LinkCall for a page opened by its link)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Self, TypeVar

from litestar import Request
from litestar.datastructures import Cookie, FormMultiDict
from litestar.di import NamedDependency, Provide
from litestar.params import FromPath
from litestar.response import Template

from services.access import sessions
from services.access.links import check_form_token, form_token
from services.access.service import Access, hash_secret
from services.http import Call, ClockDep, Conn, LinkKey, PublicBase
from services.pages import render as pages
from services.problems import Forbidden, ProblemError, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"form-expired": N_("The form was too old. Reload the page and try again.")})
T = TypeVar("T")


@dataclass(frozen=True)
class SessionKit:
    kind: sessions.Kind
    cookie: str
    path: str

    def secret(self, request: Request) -> str | None:
        return request.cookies.get(self.cookie)

    def cookie_for(self, request: Request, secret: str | None) -> Cookie:
        """The session's cookie (none, to drop it): sent when a link is opened from another app,
        never on another site's POST."""
        return Cookie(
            key=self.cookie,
            value=secret or "",
            path=self.path,
            httponly=True,
            secure=request.app.state.settings.public_base.startswith("https:"),
            samesite="lax",
            max_age=int(sessions.LONGEST.total_seconds()) if secret else 0,
        )

    def key(self, request: Request) -> str:
        """What a form token is derived from: the hash of the session's id, never the id."""
        return hash_secret(self.secret(request) or "").hex()

    async def form_token(self, request: Request, conn) -> str:
        return await form_token(conn, self.key(request))

    async def require_form_token(self, request: Request, conn) -> None:
        """Every POST of these pages: the form must have been rendered for this browser's session."""
        form = await request.form()
        if not await check_form_token(conn, self.key(request), str(form.get("csrf", ""))):
            raise Forbidden("The form was too old.", code="form-expired")

    async def access(self, request: Request, conn, clock, missing: str) -> Access:
        """Who this browser's session is (401 with code `missing` when it has none), in her words."""
        access = await sessions.authenticate(conn, clock, self.kind, self.secret(request), missing)
        pages.remember_language(request, access.language)
        return access

    async def current(self, request: Request, conn, clock) -> Access | None:
        return await sessions.current(conn, clock, self.kind, self.secret(request))

    async def start(self, request: Request, conn, clock, access: Access, token_id: int | None) -> Cookie:
        """A new session for `access` in place of this browser's; its cookie."""
        await sessions.end(conn, clock, self.secret(request))
        return self.cookie_for(request, await sessions.start(conn, clock, self.kind, access, token_id))

    async def end(self, request: Request, conn, clock) -> Cookie:
        """This browser's session over at once; the cookie that drops it."""
        await sessions.end(conn, clock, self.secret(request))
        return self.cookie_for(request, None)


class PageCall(Call):
    """One signed-in page request. Each set of pages says whose session it is (`kit`), who may use
    its pages (`allowed`) and what every page of it shows around the handler's part (`frame`)."""

    __slots__ = ()
    kit: ClassVar[SessionKit]
    missing: ClassVar[str]  # the code of the 401 for a browser without a session

    @classmethod
    async def provide(
        cls, request: Request, conn: Conn, clock: ClockDep, public_base: PublicBase, link_key: LinkKey
    ) -> Self:
        """The dependency: a session of this kind, for someone its pages are for."""
        access = await cls.kit.access(request, conn, clock, cls.missing)
        return cls(request, conn, clock, cls.allowed(request, access), public_base, link_key)

    @staticmethod
    def allowed(request: Request, access: Access) -> Access:
        raise NotImplementedError

    async def frame(self, context: dict) -> dict:
        raise NotImplementedError

    @property
    def language(self) -> str:
        return pages.language_of(self.request)

    async def page(self, template: str, *, status: int = 200, **context) -> Template:
        """One of these pages, with a form token for its forms."""
        csrf = await self.kit.form_token(self.request, self.conn)
        return pages.page(template, self.language, status=status, csrf=csrf, **await self.frame(context))

    async def form(self) -> FormMultiDict:
        """The posted form, once its form token shows it was drawn for this browser's session."""
        await self.kit.require_form_token(self.request, self.conn)
        return await self.request.form()

    async def posted(self, struct: type[T]) -> T:
        """The posted form, checked as its contract says."""
        return pages.form_as(await self.form(), struct)

    def refused(self, refused: ProblemError, field_of_code: dict[str, str] | None = None) -> pages.Refused:
        """A refusal to show on the form again: its status and its words beside the field."""
        return pages.refused_on_form(self.request, refused, field_of_code)


class LinkCall:
    """A page opened from the link in its address (`/s/…` a cover request's shift, `/b/…` a room
    request, `/r/…` a funder's report): no session, the link itself is the key, checked by the
    rule it opens."""

    __slots__ = ("request", "conn", "clock", "token")

    def __init__(self, request: Request, conn, clock, token: str):
        self.request = request
        self.conn = conn
        self.clock = clock
        self.token = token

    @classmethod
    async def provide(cls, request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Self:
        return cls(request, conn, clock, token)

    @property
    def language(self) -> str:
        return pages.language_of(self.request)

    async def opened(self, purpose: str) -> tuple[int, ...]:
        """The ids a personal link was signed for."""
        return await pages.open_personal_link(self.request, self.conn, purpose, self.token, self.clock.now())

    def page(self, template: str, *, language: str | None = None, **context) -> Template:
        """The page in her language (remembered from the link), else `language`."""
        return pages.page(template, pages.language_of(self.request, language), **context)


Link = NamedDependency[LinkCall]


class LinkPages(pages.PageController):
    dependencies = {"link": Provide(LinkCall.provide)}
