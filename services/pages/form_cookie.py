"""The form value of a browser without a signed-in session: a random cookie (SameSite=Lax, so
another site's POST never carries it) that such forms repeat in a hidden field, as the language
switch on every page does."""

from __future__ import annotations

import re
import secrets

from litestar import Request
from litestar.types import ASGIApp, Message, Receive, Scope, Send

from services.problems import Forbidden

FORM_COOKIE = "volops_form"


def browser_form_token(request: Request) -> str:
    """This browser's value for forms outside a session (set by `FormCookie` when it had none)."""
    return request.scope.get("state", {}).get(FORM_COOKIE) or request.cookies.get(FORM_COOKIE, "")


def check_browser_form_token(request: Request, given: str) -> None:
    held = request.cookies.get(FORM_COOKIE, "")
    if not held or not secrets.compare_digest(held.encode(), given.encode()):
        raise Forbidden("The form was too old.", code="form-expired")


class FormCookie:
    """Gives a browser without one its form value, with the first page it gets."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or _COOKIE_HEADER.search(_cookie_header(scope)):
            await self.app(scope, receive, send)
            return
        value = secrets.token_urlsafe(24)
        scope.setdefault("state", {})[FORM_COOKIE] = value
        cookie = f"{FORM_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age=31536000"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if any(k == b"content-type" and v.startswith(b"text/html") for k, v in headers):
                    message = {**message, "headers": [*headers, (b"set-cookie", cookie.encode())]}
            await send(message)

        await self.app(scope, receive, send_with_cookie)


_COOKIE_HEADER = re.compile(rf"(^|;\s*){FORM_COOKIE}=[^;]+")


def _cookie_header(scope: Scope) -> str:
    return next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"cookie"), "")
