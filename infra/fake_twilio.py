"""A fake Twilio for offline runs and tests: the Messages API (create, fetch, list by recipient and
date) with Twilio-shaped JSON, signed status callbacks, signed inbound SMS posted to our webhook, and
faults injected by recipient number (429, 500, 21211, 21610, slow answers past our timeout, creates
that land late).

    volops fake-twilio --port 8025 --webhook-base http://127.0.0.1:8000

GET / shows what it "delivered" (a page for people); GET /_fake/messages the same as JSON.
"""

from __future__ import annotations

import asyncio
import html
import secrets
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from email.utils import format_datetime

import httpx
import msgspec
from litestar import Litestar, Request, Response, delete, get, post
from litestar.datastructures import State
from twilio.request_validator import RequestValidator

from services.clock import Clock, SystemClock
from services.sms.segments import count

FAULTS = {"429", "500", "21211", "21610", "21614", "slow", "late", "undelivered"}


class FaultRequest(msgspec.Struct):
    to: str
    fault: str
    times: int = 1
    # "slow": the message is sent at once, the answer comes this late; "late": the create itself
    # lands this late (as under load, after our client gave up), then answers.
    seconds: float = 15.0


class Inbound(msgspec.Struct):
    from_: str = msgspec.field(name="from")
    body: str


@dataclass
class Fake:
    account_sid: str
    auth_token: str
    from_number: str
    webhook_base: str
    # Twilio's own time; in tests it is the test's (VOLOPS_CLOCK_START), like the service's clock.
    clock: Clock = field(default_factory=SystemClock)
    messages: list[dict] = field(default_factory=list)
    faults: dict[str, list[FaultRequest]] = field(default_factory=dict)
    creates: int = 0
    callbacks_sent: int = 0
    _client: httpx.AsyncClient | None = None
    # Callbacks under way at once; the rest wait here, not in httpx's pool (whose queue gets
    # rescanned for every request when thousands wait).
    callback_turns: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(20))

    def http(self) -> httpx.AsyncClient:
        if self._client is None:
            self._client = httpx.AsyncClient(
                timeout=10, limits=httpx.Limits(max_connections=20, max_keepalive_connections=20)
            )
        return self._client

    def fault_for(self, to: str) -> FaultRequest | None:
        queue = self.faults.get(to)
        if not queue:
            return None
        fault = queue[0]
        fault.times -= 1
        if fault.times <= 0:
            queue.pop(0)
        return fault

    def sign(self, url: str, params: dict[str, str]) -> str:
        return RequestValidator(self.auth_token).compute_signature(url, params)


def _json_message(fake: Fake, message: dict) -> dict:
    return {
        "account_sid": fake.account_sid,
        "api_version": "2010-04-01",
        "body": message["body"],
        "date_created": format_datetime(message["created"], usegmt=True),
        "date_sent": format_datetime(message["created"], usegmt=True)
        if message["status"] != "queued"
        else None,
        "date_updated": format_datetime(message["updated"], usegmt=True),
        "direction": message["direction"],
        "error_code": message["error_code"],
        "error_message": None,
        "from": message["from"],
        "messaging_service_sid": None,
        "num_media": "0",
        "num_segments": str(message["segments"]),
        "price": None,
        "price_unit": "USD",
        "sid": message["sid"],
        "status": message["status"],
        "subresource_uris": {},
        "to": message["to"],
        "uri": f"/2010-04-01/Accounts/{fake.account_sid}/Messages/{message['sid']}.json",
    }


def _error(status: int, code: int, text: str) -> Response:
    return Response(
        {
            "code": code,
            "message": text,
            "more_info": f"https://www.twilio.com/docs/errors/{code}",
            "status": status,
        },
        status_code=status,
    )


def _authorised(request: Request, fake: Fake) -> bool:
    import base64

    header = request.headers.get("authorization", "")
    expected = "Basic " + base64.b64encode(f"{fake.account_sid}:{fake.auth_token}".encode()).decode()
    return secrets.compare_digest(header, expected)


async def _callbacks(fake: Fake, message: dict, url: str, final: str) -> None:
    client = fake.http()
    # One client for every callback: one per message would cost an SSL context each.
    for status in ("sent", final):
        await asyncio.sleep(0.2)
        message["status"] = status
        message["updated"] = fake.clock.now()
        if final == "undelivered" and status == final:
            message["error_code"] = 30003
        if not url:
            continue
        params = {
            "AccountSid": fake.account_sid,
            "From": message["from"],
            "MessageSid": message["sid"],
            "MessageStatus": status,
            "SmsSid": message["sid"],
            "SmsStatus": status,
            "To": message["to"],
            "ApiVersion": "2010-04-01",
        } | ({"ErrorCode": "30003"} if message["error_code"] else {})
        headers = {
            "X-Twilio-Signature": fake.sign(url, params),
            "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
        }
        try:
            async with fake.callback_turns:
                await client.post(url, data=params, headers=headers)
            fake.callbacks_sent += 1
        except httpx.HTTPError:
            pass  # Twilio gives up too; our reconciler looks the message up


@post("/2010-04-01/Accounts/{account:str}/Messages.json", status_code=201)
async def create_message(request: Request, state: State, account: str) -> Response:
    fake: Fake = state.fake
    if not _authorised(request, fake) or account != fake.account_sid:
        return _error(401, 20003, "Authenticate")
    form = dict(await request.form())
    to, body = form.get("To", ""), form.get("Body", "")
    fault = fake.fault_for(to)
    fake.creates += 1
    if fault and fault.fault == "429":
        return _error(429, 20429, "Too Many Requests")
    if fault and fault.fault == "500":
        return _error(500, 20500, "Internal Server Error")
    if not to.startswith("+") or not to[1:].isdigit() or (fault and fault.fault == "21211"):
        return _error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
    if fault and fault.fault in ("21610", "21614"):
        return _error(400, int(fault.fault), "Attempt to send to unsubscribed recipient")
    if fault and fault.fault == "late":
        await asyncio.sleep(fault.seconds)
    now = fake.clock.now()
    message = {
        "sid": "SM" + secrets.token_hex(16),
        "to": to,
        "from": form.get("From", fake.from_number),
        "body": body,
        "status": "queued",
        "created": now,
        "updated": now,
        "direction": "outbound-api",
        "error_code": None,
        "segments": count(body).segments,
    }
    fake.messages.append(message)  # sent, even if the answer below comes too late for the client
    final = "undelivered" if fault and fault.fault == "undelivered" else "delivered"
    asyncio.get_running_loop().create_task(_callbacks(fake, message, form.get("StatusCallback", ""), final))
    if fault and fault.fault == "slow":
        await asyncio.sleep(fault.seconds)
    return Response(_json_message(fake, message), status_code=201)


@get("/2010-04-01/Accounts/{account:str}/Messages/{sid:str}")
async def fetch_message(request: Request, state: State, account: str, sid: str) -> Response:
    fake: Fake = state.fake
    if not _authorised(request, fake):
        return _error(401, 20003, "Authenticate")
    for message in fake.messages:
        if message["sid"] == sid.removesuffix(".json"):
            return Response(_json_message(fake, message))
    return _error(404, 20404, f"The requested resource /Messages/{sid} was not found")


@get("/2010-04-01/Accounts/{account:str}/Messages.json")
async def list_messages(request: Request, state: State, account: str) -> Response:
    fake: Fake = state.fake
    if not _authorised(request, fake):
        return _error(401, 20003, "Authenticate")
    to = request.query_params.get("To")
    after = request.query_params.get("DateSent>")
    found = [
        m
        for m in fake.messages
        if m["direction"] == "outbound-api"
        and (not to or m["to"] == to)
        and (not after or m["created"].date() >= date.fromisoformat(after[:10]))
    ]
    page = [_json_message(fake, m) for m in reversed(found)]
    uri = f"/2010-04-01/Accounts/{account}/Messages.json"
    return Response(
        {
            "messages": page,
            "end": max(len(page) - 1, 0),
            "first_page_uri": uri,
            "next_page_uri": None,
            "page": 0,
            "page_size": len(page),
            "previous_page_uri": None,
            "start": 0,
            "uri": uri,
        }
    )


@get("/_fake/stats")
async def stats(state: State) -> dict:
    fake: Fake = state.fake
    return {"creates": fake.creates, "messages": len(fake.messages), "callbacks_sent": fake.callbacks_sent}


@post("/_fake/faults", status_code=201)
async def add_fault(state: State, data: FaultRequest) -> dict:
    if data.fault not in FAULTS:
        return {"error": f"fault must be one of {sorted(FAULTS)}"}
    state.fake.faults.setdefault(data.to, []).append(data)
    return {"to": data.to, "fault": data.fault, "times": data.times}


@delete("/_fake/faults", status_code=200)
async def clear_faults(state: State) -> dict:
    state.fake.faults.clear()
    return {"cleared": True}


@get("/_fake/messages")
async def messages(state: State) -> dict:
    fake: Fake = state.fake
    return {
        "creates": fake.creates,
        "callbacks_sent": fake.callbacks_sent,
        "messages": [
            {k: (v.isoformat() if isinstance(v, datetime) else v) for k, v in m.items()}
            for m in fake.messages
        ],
    }


@post("/_fake/inbound", status_code=200)
async def inbound(state: State, data: Inbound) -> dict:
    """A person answers by SMS: post it, signed, to volops' webhook as Twilio would."""
    fake: Fake = state.fake
    url = fake.webhook_base.rstrip("/") + "/webhooks/twilio/sms"
    sid = "SM" + secrets.token_hex(16)
    params = {
        "AccountSid": fake.account_sid,
        "ApiVersion": "2010-04-01",
        "Body": data.body,
        "From": data.from_,
        "MessageSid": sid,
        "NumMedia": "0",
        "NumSegments": "1",
        "SmsMessageSid": sid,
        "SmsSid": sid,
        "SmsStatus": "received",
        "To": fake.from_number,
    }
    now = fake.clock.now()
    fake.messages.append(
        {
            "sid": sid,
            "to": fake.from_number,
            "from": data.from_,
            "body": data.body,
            "status": "received",
            "created": now,
            "updated": now,
            "direction": "inbound",
            "error_code": None,
            "segments": 1,
        }
    )
    async with httpx.AsyncClient(timeout=15) as client:
        answer = await client.post(
            url,
            data=params,
            headers={
                "X-Twilio-Signature": fake.sign(url, params),
                "I-Twilio-Idempotency-Token": str(uuid.uuid4()),
            },
        )
    reply = ""
    if answer.status_code == 200 and "<Message>" in answer.text:
        reply = html.unescape(answer.text.split("<Message>", 1)[1].split("</Message>", 1)[0])
        fake.messages.append(
            {
                "sid": "SM" + secrets.token_hex(16),
                "to": data.from_,
                "from": fake.from_number,
                "body": reply,
                "status": "delivered",
                "created": fake.clock.now(),
                "updated": fake.clock.now(),
                "direction": "outbound-reply",
                "error_code": None,
                "segments": count(reply).segments,
            }
        )
    return {"status": answer.status_code, "reply": reply}


@get("/", media_type="text/html")
async def page(state: State) -> str:
    rows = "".join(
        f"<tr><td>{m['created']:%Y-%m-%d %H:%M:%S}</td><td>{html.escape(m['direction'])}</td>"
        f"<td>{html.escape(m['to'])}</td><td>{html.escape(m['status'])}</td><td>{m['segments']}</td>"
        f"<td>{html.escape(m['body'])}</td></tr>"
        for m in reversed(state.fake.messages)
    )
    return (
        "<!doctype html><meta charset=utf-8><meta name=viewport content='width=device-width'>"
        "<title>Fake Twilio</title><style>body{font-family:sans-serif}td{border-top:1px solid #ccc;padding:4px}</style>"
        f"<h1>Fake Twilio: {len(state.fake.messages)} messages</h1>"
        "<p>Answer as a volunteer: <code>curl -X POST localhost:PORT/_fake/inbound -d "
        '\'{"from": "+46701740606", "body": "nej"}\'</code></p>'
        "<table><tr><th>when (UTC)</th><th>direction</th><th>to</th><th>status</th><th>segments</th><th>text</th></tr>"
        f"{rows}</table>"
    )


def create_fake(
    account_sid: str, auth_token: str, from_number: str, webhook_base: str, clock: Clock | None = None
) -> Litestar:
    fake = Fake(account_sid, auth_token, from_number, webhook_base, clock or SystemClock())
    return Litestar(
        route_handlers=[
            create_message,
            fetch_message,
            list_messages,
            stats,
            add_fault,
            clear_faults,
            messages,
            inbound,
            page,
        ],
        state=State({"fake": fake}),
        logging_config=None,
        openapi_config=None,
    )
