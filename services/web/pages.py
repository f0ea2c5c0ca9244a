"""Rendering pages: one layout, words in the reader's language, errors as pages rather than JSON.

Pages are plain HTML forms (no JavaScript needed). Every page is sent with a strict Content
Security Policy and `Referrer-Policy: no-referrer`, so a signed link in the address bar never
leaks to another site, and `Cache-Control: no-store`, so a shared phone does not keep it.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import msgspec
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader, StrictUndefined
from litestar import Request, Response
from litestar.exceptions import HTTPException

from services.access import links
from services.logging import get_logger
from services.problems import ProblemError, Unprocessable
from services.sms.queries import queries as sms_queries
from services.web.words import LANGUAGES, WORDS

log = get_logger("volops.pages")
T = TypeVar("T")
SERVICES = Path(__file__).parent.parent
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}
# Each context that has pages keeps its templates in its own folder.
_env = Environment(
    loader=FileSystemLoader(
        [SERVICES / "web" / "templates", SERVICES / "rota" / "templates", SERVICES / "bookings" / "templates"]
    ),
    autoescape=True,
    undefined=StrictUndefined,  # a missing word fails the tests instead of showing an empty button
)


def _when(moment: datetime, time_zone: str, language: str, pattern: str = "EEEE d MMMM, HH:mm") -> str:
    return format_datetime(moment, pattern, tzinfo=ZoneInfo(time_zone), locale=language)


def _day(day: date, language: str) -> str:
    return format_date(day, "d MMMM yyyy", locale=language)


def _number(value: float, language: str) -> str:
    return format_decimal(value, "#,##0.#", locale=language)


_env.filters["when"] = _when
_env.filters["number"] = _number
_env.filters["day"] = _day


def language_of(request: Request, fallback: str | None = None) -> str:
    """The reader's language: the signed-in person's, else the first of ours the browser accepts."""
    chosen = request.scope.get("state", {}).get("language") or fallback
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
        return await links.open_link(conn, purpose, token, now)
    except links.LinkExpired as expired:
        person = await sms_queries.person_for_sms(conn, person_id=expired.ids[-1])
        remember_language(request, person["language"] if person else None)
        raise


def form_as(form, struct: type[T]) -> T:
    """A posted form checked by msgspec like any other input (numbers arrive as text)."""
    try:
        return msgspec.convert(dict(form), struct, strict=False)
    except msgspec.ValidationError as exc:
        raise Unprocessable(str(exc), code="bad-form") from None


def remember_language(request: Request, language: str | None) -> None:
    request.scope.setdefault("state", {})["language"] = language


def page(
    template: str,
    language: str,
    words: dict[str, dict[str, str]] | None = None,
    *,
    status: int = 200,
    cookies: list | None = None,
    **context: Any,
) -> Response[str]:
    t = WORDS[language] | (words or {}).get(language, {})
    html = _env.get_template(template).render(lang=language, t=t, **context)
    return Response(html, status_code=status, media_type="text/html", headers=HEADERS, cookies=cookies)


def message(language: str, status: int, text: str, *, cookies: list | None = None) -> Response[str]:
    t = WORDS[language]
    return page(
        "message.html",
        language,
        status=status,
        cookies=cookies,
        heading=t.get(f"error_{status}", t["error_422"]),
        text=text,
    )


def on_problem(request: Request, exc: ProblemError, words: dict | None = None) -> Response[str]:
    """The rule that said no, in the reader's words when we have them (the problem's code names
    it), else the English detail the API gives."""
    language = language_of(request)
    known = WORDS[language] | (words or {}).get(language, {})
    return message(language, exc.status, known.get(exc.code or "", exc.detail))


def on_http_error(request: Request, exc: HTTPException) -> Response[str]:
    if exc.status_code >= 500:
        return on_unexpected(request, exc)
    language = language_of(request)
    text = WORDS[language]["not-found"] if exc.status_code == 404 else WORDS[language]["error_400"]
    return message(language, exc.status_code, text)


def on_unexpected(request: Request, exc: Exception) -> Response[str]:
    log.error("unhandled_error", path=request.url.path, exc_info=exc)
    language = language_of(request)
    return message(language, 500, WORDS[language]["server-error"])


def exception_handlers(words: dict[str, dict[str, str]] | None = None) -> dict:
    """For a router of pages: every error is a page in the reader's language, never JSON."""
    return {
        ProblemError: lambda request, exc: on_problem(request, exc, words),
        HTTPException: on_http_error,
        Exception: on_unexpected,
    }
