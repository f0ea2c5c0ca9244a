"""Rendering pages: one layout, words in the reader's language, errors as pages rather than JSON.

Pages are plain HTML forms (no JavaScript needed), rendered by Litestar's template engine (Jinja
with its i18n extension; each context that has pages keeps its templates in its own folder).
Every page is sent with a strict Content Security Policy and `Referrer-Policy: no-referrer`, so a
signed link in the address bar never leaks to another site, and `Cache-Control: no-store`, so a
shared phone does not keep it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec
import segno
from babel.dates import format_date, format_datetime, format_skeleton
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined
from litestar import Controller, Request
from litestar.datastructures import Cookie
from litestar.exceptions import HTTPException
from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Redirect, Template
from litestar.template import TemplateConfig
from markupsafe import Markup

from schemas.common import FieldError
from services import db, problems
from services.access import links
from services.activities.kinds import KIND_NAMES, WITH_PARTICIPANTS, kind_name
from services.http import refused_field
from services.logging import get_logger
from services.pages.form_cookie import browser_form_token
from services.problems import ProblemError, Unprocessable, refusals
from services.words import LANGUAGE_NAMES, LANGUAGES, N_, catalogue, translate

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"bad-form": N_("Something in the form is missing or wrong.")})

log = get_logger("volops.pages")
T = TypeVar("T")
SERVICES = Path(__file__).parent.parent
PAGE_CONTEXTS = ("pages", "board", "my", "partner")
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
HEADINGS = {
    400: N_("Something is missing"),
    401: N_("Please sign in"),
    403: N_("Not allowed"),
    404: N_("Not found"),
    405: N_("Not possible here"),
    409: N_("That did not work"),
    410: N_("This link has expired"),
    422: N_("That did not work"),
    500: N_("Something went wrong on our side"),
}
NOT_FOUND = N_("Nothing is here.")
SERVER_ERROR = N_("Nothing was changed. Please try again in a while.")


# A day and month as each language writes it (CLDR): "3 mars", "3. mars", "3. března".
_DAY_MONTH = re.compile(r"^(?P<weekday>EEEE |EEE )?d MMMM?(?P<year> yyyy)?(?P<rest>.*)$")


def _when(moment: datetime, time_zone: str, language: str, pattern: str = "EEEE d MMMM, HH:mm") -> str:
    """A moment in the reader's words; the day and month in her language's own order and marks."""
    zone = ZoneInfo(time_zone)
    parts = _DAY_MONTH.match(pattern)
    if parts is None:
        return format_datetime(moment, pattern, tzinfo=zone, locale=language)
    weekday = (
        format_datetime(moment, parts["weekday"], tzinfo=zone, locale=language) if parts["weekday"] else ""
    )
    day = format_skeleton("yMMMMd" if parts["year"] else "MMMMd", moment, tzinfo=zone, locale=language)
    rest = format_datetime(moment, parts["rest"], tzinfo=zone, locale=language) if parts["rest"] else ""
    return f"{weekday}{day}{rest}"


def _day(day: date, language: str, pattern: str = "d MMMM yyyy") -> str:
    parts = _DAY_MONTH.match(pattern)
    if parts is None:
        return format_date(day, pattern, locale=language)
    weekday = format_date(day, parts["weekday"], locale=language) if parts["weekday"] else ""
    return weekday + format_skeleton("yMMMMd" if parts["year"] else "MMMMd", day, locale=language)


def _number(value: float, language: str) -> str:
    return format_decimal(value, "#,##0.#", locale=language)


def template_config() -> TemplateConfig:
    environment = Environment(
        # Each context's templates under its own name: "board/plan.html", "my/shift.html".
        loader=PrefixLoader(
            {context: FileSystemLoader(SERVICES / context / "templates") for context in PAGE_CONTEXTS}
        ),
        autoescape=True,
        undefined=StrictUndefined,  # a missing value fails the tests instead of showing an empty button
        extensions=["jinja2.ext.i18n"],
    )
    environment.filters.update(when=_when, number=_number, day=_day, kind=kind_name)
    environment.globals.update(
        browser_form_token=browser_form_token,
        language_names=LANGUAGE_NAMES,
        activity_kinds=tuple(KIND_NAMES),
        kinds_with_participants=WITH_PARTICIPANTS,
    )
    return TemplateConfig(engine=JinjaTemplateEngine.from_environment(environment))


LANGUAGE_COOKIE = "volops_lang"


def language_of(request: Request, fallback: str | None = None) -> str:
    """The reader's language: the one chosen on a page, else the signed-in person's, else the first
    of ours the browser accepts."""
    for chosen in (
        request.cookies.get(LANGUAGE_COOKIE),
        request.scope.get("state", {}).get("language") or fallback,
    ):
        if chosen in LANGUAGES:
            return chosen
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        base = "nb" if tag.split("-")[0] in ("no", "nn") else tag.split("-")[0]
        if base in LANGUAGES:
            return base
    return "en"


async def open_personal_link(
    request: Request, conn, purpose: str, token: str, now: datetime
) -> tuple[int, ...]:
    """The ids of a link signed for (something, one person). Expired, it is refused in that
    person's language; altered, in the browser's."""
    try:
        ids = await links.open_link(conn, purpose, token, now)
    except links.LinkExpired as expired:
        remember_language(request, await links.language_of_person(conn, expired.ids[-1]))
        raise
    await db.act_as(conn, ids[-1], None, "link", now)  # what the link's person changes
    return ids


_AT_FIELD = re.compile(r"at `\$\.(\w+)|required field `(\w+)`")  # msgspec names the field so


def form_as(form, struct: type[T]) -> T:
    """A posted form checked by msgspec like any other input, often by the API's own contract
    (numbers arrive as text, an empty field means "not given", the form token is not part of it)."""
    values = {k: v for k, v in form.items() if k != "csrf" and v != ""}
    refused = refused_field(values)
    if refused is not None:
        field, code, words = refused
        raise Unprocessable(f"{field}: {words}.", code=code, errors=[FieldError(field=field, message=words)])
    try:
        return msgspec.convert(values, struct, strict=False)
    except msgspec.ValidationError as exc:
        field = _AT_FIELD.search(str(exc))
        errors = [FieldError(field=field[1] or field[2], message=str(exc))] if field else None
        raise Unprocessable(str(exc), code="bad-form", errors=errors) from None


def form_errors(language: str, exc: ProblemError, field_of_code: dict[str, str]) -> dict[str, str]:
    """The fields a refusal names, each with its words, for showing the form again with them marked."""
    fields = [e.field for e in exc.errors or []] or [field_of_code.get(exc.code or "", "")]
    return dict.fromkeys(fields, problem_words(language, exc))


# What a form shows beside itself, sent back as it was typed: a thing it names that is not there
# (404), a clash with what is saved (409), something the rules cannot accept (422). Not being
# signed in or allowed (401, 403) goes to its own page instead.
SHOWN_ON_THE_FORM = frozenset({404, 409, 422})


@dataclass(frozen=True)
class Refused:
    status: int
    problem: str  # the refusal in the reader's words
    errors: dict[str, str]  # the fields it names, each with those words


def refused_on_form(
    request: Request, refused: ProblemError, field_of_code: dict[str, str] | None = None
) -> Refused:
    """The one way a page form says no: the refusal to show beside the form (with the fields it
    names, for `field_of_code` of the form), or, for one a form cannot show, raised again."""
    if refused.status not in SHOWN_ON_THE_FORM:
        raise refused
    language = language_of(request)
    status = 422 if refused.status == 404 else refused.status  # the form named what is not there
    return Refused(
        status, problem_words(language, refused), form_errors(language, refused, field_of_code or {})
    )


@dataclass(frozen=True)
class SavedParts:
    """The parts of a page that save on their own: after a save the page opens at that part (its
    element id in `where`) and says what was saved."""

    page: str  # the page's address, `{}` standing for its id
    where: dict[str, str]

    def __contains__(self, part: object) -> bool:
        return part in self.where

    def saved(self, page_id: int, part: str) -> Redirect:
        return Redirect(f"{self.page.format(page_id)}?saved={part}#{self.where[part]}", status_code=303)


def remember_language(request: Request, language: str | None) -> None:
    request.scope.setdefault("state", {})["language"] = language


def page(
    template: str, language: str, *, status: int = 200, cookies: list | None = None, **context: Any
) -> Template:
    words = catalogue(language)
    return Template(
        template_name=template,
        context={"lang": language, "gettext": words.gettext, "ngettext": words.ngettext, **context},
        status_code=status,
        headers=HEADERS,
        cookies=cookies or [],
    )


def language_cookie(language: str) -> Cookie:
    """The reader's chosen language, for every page of the service."""
    return Cookie(
        key=LANGUAGE_COOKIE, value=language, path="/", httponly=True, samesite="lax", max_age=365 * 24 * 3600
    )


def reminder_minutes(hours: str) -> list[int] | None:
    """Reminder times typed in hours before a shift ("24, 2") as minutes; empty: the organisation's."""
    return [round(float(h) * 60) for h in hours.replace(" ", "").split(",") if h] or None


def qr_svg(url: str) -> Markup:
    """A link as a QR code to scan with the phone: SVG drawn here, no script, no image host."""
    return Markup(segno.make(url, error="m").svg_inline(scale=4, dark="#1d1d1f", light="#ffffff"))


def message(language: str, status: int, text: str, *, cookies: list | None = None) -> Template:
    heading = translate(language, HEADINGS.get(status, HEADINGS[422]))
    return page("pages/message.html", language, status=status, cookies=cookies, heading=heading, text=text)


def problem_words(language: str, exc: ProblemError) -> str:
    """The rule that said no, in the reader's words when we have them, else the API's detail."""
    known = problems.REFUSALS.get(exc.code or "")
    return translate(language, known).format(**exc.names) if known else exc.detail


def on_problem(request: Request, exc: ProblemError) -> Template:
    language = language_of(request)
    return message(language, exc.status, problem_words(language, exc))


def on_http_error(request: Request, exc: HTTPException) -> Template:
    if exc.status_code >= 500:
        return on_unexpected(request, exc)
    language = language_of(request)
    text = NOT_FOUND if exc.status_code == 404 else HEADINGS[400]
    return message(language, exc.status_code, translate(language, text))


def on_unexpected(request: Request, exc: Exception) -> Template:
    log.error("unhandled_error", path=request.url.path, exc_info=exc)
    language = language_of(request)
    return message(language, 500, translate(language, SERVER_ERROR))


EXCEPTION_HANDLERS = {ProblemError: on_problem, HTTPException: on_http_error, Exception: on_unexpected}


class PageController(Controller):
    """Pages: not in the API's OpenAPI document, and every error a page in the reader's language."""

    include_in_schema = False
    exception_handlers = EXCEPTION_HANDLERS
