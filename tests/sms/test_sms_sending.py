"""Sending through the fake Twilio with real worker processes: once, retried when it surely did
not leave, failed for good when refused, never resent while its fate is unknown."""

import asyncio
import time
from datetime import timedelta

import httpx
from twilio.request_validator import RequestValidator

from tests.support.now import SUITE_NOW
from tests.support.scheduling import tomorrows_pickup
from tests.support.sms import put_in_outbox


async def enqueue(conn, key: str, to: str, body: str, person_id=None, organisation_id=None) -> int:
    # The worker processes start at SUITE_NOW.
    due = SUITE_NOW - timedelta(seconds=1)
    return await put_in_outbox(conn, key, to, body, due, person_id=person_id, organisation_id=organisation_id)


async def row(conn, outbox_id: int) -> dict:
    return dict(await conn.fetchrow("SELECT * FROM outbox WHERE id = $1", outbox_id))


async def wait_for(conn, outbox_id: int, status: str) -> dict:
    for _ in range(100):
        current = await row(conn, outbox_id)
        if current["status"] == status:
            return current
        await asyncio.sleep(0.05)
    raise AssertionError(f"still {current['status']}, not {status}")


async def test_sent_once_then_delivered_by_callback(conn, sms_stack):
    outbox_id = await enqueue(conn, "test:once", "+46701740611", "Hej från volops")
    await sms_stack.run_jobs("dispatch_due")
    await sms_stack.run_jobs("dispatch_due")  # nothing due any more
    sent = [m for m in sms_stack.messages() if m["to"] == "+46701740611"]
    assert len(sent) == 1 and sent[0]["body"] == "Hej från volops"
    delivered = await wait_for(conn, outbox_id, "delivered")  # the fake's signed callbacks
    assert delivered["provider_id"] == sent[0]["sid"] and delivered["attempts"] == 1


async def test_429_is_retried_and_sent_once(conn, sms_stack):
    sms_stack.fault("+46701740612", "429", times=1)
    outbox_id = await enqueue(conn, "test:429", "+46701740612", "Try again")
    await sms_stack.run_jobs("dispatch_due")
    waiting = await row(conn, outbox_id)
    assert waiting["status"] == "pending" and waiting["next_attempt_at"] > SUITE_NOW
    await conn.execute(
        "UPDATE outbox SET next_attempt_at = $2 WHERE id = $1", outbox_id, SUITE_NOW
    )  # skip the backoff
    await sms_stack.run_jobs("dispatch_due")
    assert (await row(conn, outbox_id))["attempts"] == 2
    assert len([m for m in sms_stack.messages() if m["to"] == "+46701740612"]) == 1


async def test_refusals_fail_the_row_and_opt_out_is_recorded(conn, sms_stack, org):
    invalid = await enqueue(conn, "test:21211", "+46701740613", "Bad number")
    sms_stack.fault("+46701740613", "21211")
    sms_stack.fault(org.volunteer_phone, "21610")
    opted = await enqueue(conn, "test:21610", org.volunteer_phone, "Opted out", org.volunteer_id, org.id)
    later = await put_in_outbox(
        conn,
        "test:later",
        org.volunteer_phone,
        "Later",
        SUITE_NOW + timedelta(days=1),
        person_id=org.volunteer_id,
        organisation_id=org.id,
    )
    await sms_stack.run_jobs("dispatch_due")
    assert (await row(conn, invalid))["status"] == "failed" and (await row(conn, invalid))[
        "error_code"
    ] == "21211"
    assert (await row(conn, opted))["error_code"] == "21610"
    person = await conn.fetchrow(
        "SELECT sms_consent, sms_opted_out_at FROM people WHERE id = $1", org.volunteer_id
    )
    assert person["sms_consent"] is False and person["sms_opted_out_at"] is not None
    assert (await row(conn, later))["status"] == "cancelled"
    problems = (
        await httpx.AsyncClient().get(
            f"{sms_stack.api}/organisations/{org.id}/sms/problems", headers=org.auth()
        )
    ).json()
    assert [p["id"] for p in problems["items"]] == [opted]


LATE_SECONDS = 20


async def test_slow_create_is_unknown_then_reconciled_without_a_duplicate(conn, sms_stack):
    # Late enough that three worker runs on a loaded machine are done before it lands.
    lands_at = time.monotonic() + LATE_SECONDS
    sms_stack.fault("+46701740614", "late", seconds=LATE_SECONDS)
    outbox_id = await enqueue(conn, "test:slow", "+46701740614", "Slow one")
    run = await sms_stack.run_jobs("dispatch_due", VOLOPS_TWILIO_TIMEOUT_SECONDS="1", VOLOPS_LOG_LEVEL="INFO")
    assert '"sms_unknown"' in run.stderr  # the create timed out: its fate was unknown
    await sms_stack.run_jobs("reconcile_unknown")  # still in flight: Twilio has no record of it yet...
    await sms_stack.run_jobs("dispatch_due")  # ...and it is not sent again
    waiting = await row(conn, outbox_id)
    assert waiting["status"] == "unknown" and waiting["error_message"].startswith("Twilio has no record")
    await asyncio.sleep(max(0.0, lands_at - time.monotonic()) + 1)  # it lands late, as one did under load
    await sms_stack.run_jobs("reconcile_unknown")  # (the fake's status callback may have settled it first)
    settled = await row(conn, outbox_id)
    assert settled["status"] in ("sent", "delivered") and settled["provider_id"]
    assert len([m for m in sms_stack.messages() if m["to"] == "+46701740614"]) == 1


async def test_unknown_twilio_has_no_record_of_waits_for_a_coordinator(conn, sms_stack, org):
    outbox_id = await enqueue(conn, "test:lost", "+46701740615", "Lost one", organisation_id=org.id)
    await conn.execute(
        "UPDATE outbox SET status = 'unknown', send_started_at = $2 WHERE id = $1",
        outbox_id,
        SUITE_NOW - timedelta(minutes=10),
    )
    await sms_stack.run_jobs("reconcile_unknown")
    await sms_stack.run_jobs("dispatch_due")
    lost = await row(conn, outbox_id)
    assert lost["status"] == "unknown" and lost["attempts"] == 0  # never resent by guessing
    assert [m for m in sms_stack.messages() if m["to"] == "+46701740615"] == []
    async with httpx.AsyncClient(base_url=f"{sms_stack.api}/organisations/{org.id}") as api:
        problems = (await api.get("/sms/problems", headers=org.auth())).json()["items"]
        assert [(p["id"], p["status"]) for p in problems] == [(outbox_id, "unknown")]
        again = f"/sms/problems/{outbox_id}/send-again"
        assert (await api.post(again, headers=org.auth("volunteer"))).status_code == 403
        assert (await api.post(again, headers=org.auth())).status_code == 204  # she decides
        assert (await api.post(again, headers=org.auth())).status_code == 404  # already on its way
    await sms_stack.run_jobs("dispatch_due")
    assert len([m for m in sms_stack.messages() if m["to"] == "+46701740615"]) == 1


async def test_reply_no_withdraws_and_opens_a_gap(client, conn, clock, org, sms_stack):
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    signed = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/signups",
        headers=org.auth("volunteer"),
        json={"role_id": role_id},
    )
    assert signed.status_code == 201
    answer = sms_stack.inbound(org.volunteer_phone, "Nej")
    assert answer["status"] == 200 and answer["reply"].startswith(
        "Okej, du är struken från Bread from the bakery"
    )
    assignment = await conn.fetchrow("SELECT status FROM assignments WHERE id = $1", signed.json()["id"])
    assert assignment["status"] == "withdrawn"
    view = (
        await client.get(f"/organisations/{org.id}/occurrences/{occurrence['id']}", headers=org.auth())
    ).json()
    assert view["state"] == "short"
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM outbox WHERE assignment_id = $1 AND status = 'pending'", signed.json()["id"]
        )
        == 0
    )
    question = sms_stack.inbound(org.volunteer_phone, "vad menar ni?")  # no answer: a person reads it
    assert question["reply"].startswith("Tack, din samordnare läser ditt meddelande")
    assert await conn.fetchval("SELECT for_a_person FROM sms_replies WHERE body = 'vad menar ni?'")
    help_reply = sms_stack.inbound(org.volunteer_phone, "hjälp")
    assert help_reply["reply"].startswith("Svara JA om du kommer")
    stop = sms_stack.inbound(org.volunteer_phone, "STOPP")
    assert stop["reply"].startswith("Du får inga fler sms")
    assert await conn.fetchval("SELECT sms_consent FROM people WHERE id = $1", org.volunteer_id) is False


async def test_webhook_signature_and_retries(conn, sms_stack, org):
    url = f"{sms_stack.api}/webhooks/twilio/sms"
    params = {"From": org.volunteer_phone, "Body": "STOP", "MessageSid": "SMtest1", "To": "+46700000000"}
    async with httpx.AsyncClient() as http:
        forged = await http.post(url, data=params, headers={"X-Twilio-Signature": "forged"})
        assert forged.status_code == 403
        assert await conn.fetchval("SELECT sms_consent FROM people WHERE id = $1", org.volunteer_id) is True
        signature = RequestValidator(sms_stack.settings.twilio_auth_token).compute_signature(url, params)
        headers = {"X-Twilio-Signature": signature, "I-Twilio-Idempotency-Token": "token-1"}
        first = await http.post(url, data=params, headers=headers)
        assert first.status_code == 200 and "<Message>" in first.text
        await conn.execute("UPDATE people SET sms_consent = true WHERE id = $1", org.volunteer_id)
        again = await http.post(url, data=params, headers=headers)  # Twilio retrying the same webhook
        assert again.text == first.text
        assert await conn.fetchval("SELECT sms_consent FROM people WHERE id = $1", org.volunteer_id) is True
        assert await conn.fetchval("SELECT count(*) FROM sms_replies") == 1


async def test_unknown_is_found_at_twilio_by_looking_it_up(conn, sms_stack):
    settings = sms_stack.settings
    async with httpx.AsyncClient(auth=(settings.twilio_account_sid, settings.twilio_auth_token)) as http:
        created = await http.post(
            f"{sms_stack.fake}/2010-04-01/Accounts/{settings.twilio_account_sid}/Messages.json",
            data={"To": "+46701740616", "From": settings.twilio_from_number, "Body": "Did it go?"},
        )
    outbox_id = await enqueue(conn, "test:lookup", "+46701740616", "Did it go?")
    await conn.execute(
        "UPDATE outbox SET status = 'unknown', send_started_at = $2 WHERE id = $1", outbox_id, SUITE_NOW
    )
    await sms_stack.run_jobs("reconcile_unknown")
    found = await row(conn, outbox_id)
    assert found["provider_id"] == created.json()["sid"] and found["status"] in (
        "accepted",
        "sent",
        "delivered",
    )
    assert len([m for m in sms_stack.messages() if m["to"] == "+46701740616"]) == 1
