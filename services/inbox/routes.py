"""Twilio's webhook for SMS that people send us."""

from __future__ import annotations

from litestar import Controller, Request, Response, post
from litestar.datastructures import State

from services.http import ClockDep, Conn, PublicBase, Routes
from services.inbox import service
from services.sms import webhooks

TWIML = "application/xml"


class InboundSmsController(Controller):
    path = "/webhooks/twilio/sms"
    tags = ["sms"]

    @post("/", summary="Inbound SMS from Twilio (signed)", status_code=200)
    async def inbound_sms(
        self, request: Request, state: State, conn: Conn, clock: ClockDep, public_base: PublicBase
    ) -> Response[str]:
        form = await webhooks.verified_form(request, state)
        token = webhooks.delivery_key(form)
        async with conn.transaction():
            earlier = await webhooks.earlier_answer(conn, token)
            if earlier is not None:  # Twilio retried: answer the same, change nothing
                return Response(earlier, media_type=TWIML)
            reply = await service.answer(
                conn,
                clock,
                sid=form["MessageSid"],
                from_phone=form.get("From", ""),
                body=form.get("Body", ""),
                public_base=public_base,
            )
            await webhooks.keep_answer(conn, token, reply)
        return Response(reply, media_type=TWIML)


ROUTES = Routes(top=(InboundSmsController,))
