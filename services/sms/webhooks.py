"""What every Twilio webhook needs: its signature checked, and its retries answered once."""

from __future__ import annotations

import asyncpg
from litestar import Request
from litestar.datastructures import State
from twilio.request_validator import RequestValidator

from services.problems import Forbidden, Unprocessable
from services.sms.queries import queries


async def verified_form(request: Request, state: State) -> dict[str, str]:
    """Twilio signs the URL it called: ours as the public sees it (correct behind a proxy)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    url = (
        state.settings.public_base + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    )
    validator = RequestValidator(state.settings.twilio_auth_token)
    if not validator.validate(url, form, request.headers.get("x-twilio-signature", "")):
        raise Forbidden("The Twilio signature does not match.", code="bad-signature")
    return form


def delivery_key(form: dict[str, str], *fields: str) -> str:
    """What makes a delivery the same one again: signed fields only (MessageSid, and the status for a
    callback). The I-Twilio-Idempotency-Token header is not signed, so a replay with a new one would
    count as new; it is never used."""
    if not form.get("MessageSid"):
        raise Unprocessable("MessageSid is missing.", code="no-message-sid")
    return ":".join(form.get(field, "") for field in ("MessageSid", *fields))


async def earlier_answer(conn: asyncpg.Connection, token: str) -> str | None:
    """What we answered when Twilio sent this before (it retries), or None the first time."""
    return await queries.receipt(conn, token=token)


async def keep_answer(conn: asyncpg.Connection, token: str, answer: str) -> bool:
    """Remember the answer to this delivery; False when it was already handled."""
    return await queries.keep_receipt(conn, token=token, response=answer) is not None
