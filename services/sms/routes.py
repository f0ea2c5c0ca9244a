"""Twilio's webhooks (inbound SMS, status callbacks) and the coordinators' list of SMS problems."""

from __future__ import annotations

from datetime import datetime

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import State
from litestar.params import FromQuery
from twilio.request_validator import RequestValidator

from schemas.common import Id, Page
from services.db import rows
from services.http import ClockDep, Conn, OrgAccess, PathId, QueryId
from services.pagination import Cursor
from services.problems import Forbidden, NotFound
from services.sms import outbox, replies
from services.sms.queries import queries

TWIML = "application/xml"


class SmsProblem(msgspec.Struct):
    id: Id
    kind: str
    person_id: Id | None
    assignment_id: Id | None
    status: str
    due_at: datetime
    error_code: str | None
    error_message: str | None
    updated_at: datetime


async def _verified_form(request: Request, state: State) -> dict[str, str]:
    """Twilio signs the URL it called: ours as the public sees it (correct behind a proxy)."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    url = (
        state.settings.public_base + request.url.path + (f"?{request.url.query}" if request.url.query else "")
    )
    validator = RequestValidator(state.settings.twilio_auth_token)
    if not validator.validate(url, form, request.headers.get("x-twilio-signature", "")):
        raise Forbidden("The Twilio signature does not match.", code="bad-signature")
    return form


@post(
    "/webhooks/twilio/sms",
    tags=["sms"],
    summary="Inbound SMS from Twilio (signed)",
    include_in_schema=True,
    status_code=200,
)
async def inbound_sms(request: Request, state: State, conn: Conn, clock: ClockDep) -> Response[str]:
    form = await _verified_form(request, state)
    token = request.headers.get("i-twilio-idempotency-token") or form.get("MessageSid", "")
    async with conn.transaction():
        earlier = await queries.receipt(conn, token=token)
        if earlier is not None:  # Twilio retried: answer the same, change nothing
            return Response(earlier, media_type=TWIML)
        reply = await replies.answer(
            conn,
            clock,
            sid=form.get("MessageSid", token),
            from_phone=form.get("From", ""),
            body=form.get("Body", ""),
            public_base=state.settings.public_base,
        )
        await queries.keep_receipt(conn, token=token, response=reply)
    return Response(reply, media_type=TWIML)


@post(
    "/webhooks/twilio/status",
    tags=["sms"],
    summary="Message status callbacks from Twilio (signed)",
    status_code=204,
)
async def status_callback(
    request: Request, state: State, conn: Conn, clock: ClockDep, outbox_id: QueryId = None
) -> None:
    form = await _verified_form(request, state)
    token = (
        request.headers.get("i-twilio-idempotency-token")
        or f"{form.get('MessageSid')}:{form.get('MessageStatus')}"
    )
    async with conn.transaction():
        if await queries.keep_receipt(conn, token=token, response="") is None:
            return
        await outbox.status_callback(
            conn,
            clock,
            outbox_id,
            form.get("MessageSid", ""),
            form.get("MessageStatus", ""),
            form.get("ErrorCode"),
        )


@get(
    "/sms/problems",
    tags=["sms"],
    summary="Messages that failed, were not delivered, or whose fate is unknown (coordinators)",
)
async def sms_problems(
    conn: Conn, access: OrgAccess, limit: FromQuery[int] = 50, cursor: FromQuery[str | None] = None
) -> Page[SmsProblem]:
    access.require_coordinator("see SMS problems")
    page = Cursor.parse(cursor, limit)
    records = await rows(
        queries.problems(
            conn, organisation_id=access.organisation_id, after_id=page.after_id, limit=page.fetch_limit
        )
    )
    return page.page(records, lambda r: SmsProblem(**dict(r)))


@post(
    "/sms/problems/{outbox_id:int}/send-again",
    tags=["sms"],
    summary="Send a message whose fate is unknown, or that was not delivered, again (coordinators)",
    description="The service never resends an unknown message by itself, since it may have gone "
    "out; a coordinator who checked with the person can decide to.",
    status_code=204,
)
async def send_sms_again(conn: Conn, clock: ClockDep, access: OrgAccess, outbox_id: PathId) -> None:
    access.require_coordinator("send SMS again")
    if not await outbox.send_again(conn, clock, access.organisation_id, outbox_id):
        raise NotFound(
            f"There is no message {outbox_id} of unknown fate or not delivered.", code="sms-not-found"
        )
