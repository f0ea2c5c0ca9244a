"""Twilio's status callbacks and the coordinators' list of SMS problems."""

from __future__ import annotations

from litestar import Controller, Request, get, post
from litestar.datastructures import State

from schemas.common import Page
from schemas.sms import SmsProblem
from services.http import Api, ClockDep, Conn, PageAsked, PathId, QueryId, Routes
from services.problems import NotFound, refusals
from services.sms import outbox, webhooks
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"sms-not-found": N_("That message cannot be sent again: it arrived, or is on its way.")})


class StatusCallbackController(Controller):
    path = "/webhooks/twilio/status"
    tags = ["sms"]

    @post("/", summary="Message status callbacks from Twilio (signed)", status_code=204)
    async def status_callback(
        self, request: Request, state: State, conn: Conn, clock: ClockDep, outbox_id: QueryId = None
    ) -> None:
        form = await webhooks.verified_form(request, state)
        token = webhooks.delivery_key(form, "MessageStatus")
        async with conn.transaction():
            if not await webhooks.keep_answer(conn, token, ""):
                return
            await outbox.status_callback(
                conn,
                clock,
                outbox_id,
                form.get("MessageSid", ""),
                form.get("MessageStatus", ""),
                form.get("ErrorCode"),
            )


class SmsProblemController(Controller):
    path = "/sms/problems"
    tags = ["sms"]

    @get("/", summary="Messages that failed, were not delivered, or whose fate is unknown (coordinators)")
    async def sms_problems(self, api: Api, page: PageAsked) -> Page[SmsProblem]:
        api.access.require_coordinator("see SMS problems")
        return page.page(
            await outbox.problems(api.conn, api.access.organisation_id, page.after_id, page.fetch_limit)
        )

    @post(
        "/{outbox_id:int}/send-again",
        summary="Send a message whose fate is unknown, or that was not delivered, again (coordinators)",
        description="The service never resends an unknown message by itself, since it may have gone "
        "out; a coordinator who checked with the person can decide to.",
        status_code=204,
    )
    async def send_sms_again(self, api: Api, outbox_id: PathId) -> None:
        api.access.require_coordinator("send SMS again")
        if not await outbox.send_again(api.conn, api.clock, api.access.organisation_id, outbox_id):
            raise NotFound(
                f"There is no message {outbox_id} of unknown fate or not delivered.", code="sms-not-found"
            )


ROUTES = Routes(organisation=(SmsProblemController,), top=(StatusCallbackController,))
