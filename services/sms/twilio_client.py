"""The official twilio client over an HTTP client of ours.

twilio's AsyncTwilioHttpClient ignores its timeout (twilio-python #925) and, with max_retries,
POSTs again on 5xx, which can send an SMS twice. Ours enforces the timeout, never retries, points at
any API base (the fake Twilio in infra/) and says what a failure means for the message:
NotSent (it certainly did not leave: refused, or rejected before sending) or Uncertain (it may have).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, fields
from datetime import datetime

import httpx
from twilio.base.exceptions import TwilioRestException
from twilio.http import AsyncHttpClient
from twilio.http.response import Response
from twilio.rest import Client

from services.config import Settings

TWILIO_API = "https://api.twilio.com"
# Permanent refusals: the number is invalid (21211), has opted out (21610), is not a mobile (21614).
PERMANENT = {21211, 21610, 21614, 21408, 21612}
# Sends under way at once per process. A send waits for its turn before it begins, so a row is
# "sending" only while its request can really be on its way (a worker killed then leaves only
# those unknown), and hundreds of waiting requests never sit in httpx's pool, which rescans its
# queue for each one (most of a worker's time went there in bench/sms.py).
IN_FLIGHT = 10


class NotSent(Exception):
    """The message certainly did not leave; it may be tried again later."""


class Uncertain(Exception):
    """The create may or may not have reached Twilio; never resend until reconciled."""


@dataclass(frozen=True)
class Refused(Exception):
    """Twilio refused the message for good (e.g. invalid number, opted out)."""

    code: int
    message: str


@dataclass(frozen=True)
class Message:
    sid: str
    status: str
    to: str
    body: str
    date_created: datetime | None
    error_code: int | None


class HttpxTwilioClient(AsyncHttpClient):
    def __init__(self, base_url: str, timeout: float) -> None:
        super().__init__(logging.getLogger("volops.twilio"), is_async=True, timeout=timeout)
        self._base = base_url.rstrip("/")
        self._client = httpx.AsyncClient(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            # the sends, and room for the look-ups beside them
            limits=httpx.Limits(max_connections=2 * IN_FLIGHT, max_keepalive_connections=2 * IN_FLIGHT),
        )

    async def request(
        self,
        method,
        uri,
        params=None,
        data=None,
        headers=None,
        auth=None,
        timeout=None,
        allow_redirects=False,
    ) -> Response:
        url = self._base + uri[len(TWILIO_API) :] if uri.startswith(TWILIO_API) else uri
        try:
            answer = await self._client.request(
                method,
                url,
                params=params,
                data=data,
                headers=headers,
                auth=auth,
                timeout=httpx.Timeout(self.timeout),
            )
        except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
            raise NotSent(f"Twilio could not be reached: {type(exc).__name__}") from None
        except httpx.HTTPError as exc:  # read timeout, reset after sending: it may have gone out
            raise Uncertain(f"no answer from Twilio: {type(exc).__name__}") from None
        return Response(answer.status_code, answer.text, dict(answer.headers))

    async def close(self) -> None:
        await self._client.aclose()


class Twilio:
    """What volops asks of Twilio: create, fetch and list messages."""

    def __init__(self, settings: Settings, timeout: float) -> None:
        self.http = HttpxTwilioClient(settings.twilio_api_base or TWILIO_API, timeout)
        self.client = Client(settings.twilio_account_sid, settings.twilio_auth_token, http_client=self.http)
        self.sender = settings.twilio_from_number
        self.send_turns = asyncio.Semaphore(IN_FLIGHT)

    async def create(self, to: str, body: str, status_callback: str) -> Message:
        try:
            message = await self.client.messages.create_async(
                to=to, from_=self.sender, body=body, status_callback=status_callback
            )
        except TwilioRestException as exc:
            if exc.status == 429:
                raise NotSent("Twilio asked us to slow down (429)") from None
            if exc.status >= 500:
                raise Uncertain(f"Twilio answered {exc.status}") from None
            if exc.code in PERMANENT or 400 <= exc.status < 500:
                raise Refused(int(exc.code or exc.status), str(exc.msg)[:300]) from None
            raise Uncertain(f"Twilio answered {exc.status}") from None
        return _message(message)

    async def fetch(self, sid: str) -> Message:
        return _message(await self.client.messages(sid).fetch_async())

    async def sent_to(self, to: str, since: datetime) -> list[Message]:
        """Messages Twilio holds for this number since a moment (to prove one was or was not sent)."""
        found = await self.client.messages.list_async(to=to, date_sent_after=since, limit=200)
        return [_message(m) for m in found]

    async def close(self) -> None:
        await self.http.close()


def _message(message) -> Message:
    return Message(**{field.name: getattr(message, field.name) for field in fields(Message)})
