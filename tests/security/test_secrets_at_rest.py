"""Rule 8: nothing secret rests readable. A one-time code is not kept in the outbox once it went
out; a calendar link comes back only under the key and only to its owner; a funder's report link is listed on the board, switched off there, dies with its sharer's
coordinator role, and is masked in the request log (tests/test_logging.py)."""

import re

import pytest

from services.access.service import Access
from services.feeds import service as feeds
from tests.board.test_plan import CSRF, signed_in
from tests.board.test_sign_in_by_sms import code_sent, coordinator_phone
from tests.support.factories import no_longer_coordinator

pytestmark = pytest.mark.now("suite")


async def test_a_sign_in_code_is_not_kept_once_sent(client, conn, org, sms_stack):
    phone = await coordinator_phone(conn, org)
    await client.post("/board/sign-in/code", data={"phone": phone})
    code = await code_sent(conn)
    await sms_stack.send_when_due(conn)
    assert any(code in m["body"] for m in sms_stack.messages())  # it reached her phone ...
    kept = await conn.fetchrow("SELECT status, body FROM outbox WHERE key LIKE 'sign-in:%'")
    assert kept["status"] != "pending" and kept["body"] == "(one-time code)"  # ... and is not kept
    assert await conn.fetchval("SELECT count(*) FROM outbox WHERE body LIKE '%' || $1 || '%'", code) == 0


async def share(client, month: str = "2026-02") -> str:
    page = await client.get(f"/board/reports?month={month}")
    shared = await client.post(
        "/board/reports/link", data={"csrf": CSRF.search(page.text)[1], "month": month, "days": "7"}
    )
    return "/r/" + re.search(r'href="http[^"]*/r/([^"]+)"', shared.text)[1]


async def test_report_links_are_listed_switched_off_and_die_with_their_sharer(client, conn, org):
    await signed_in(client, org)
    link = await share(client)
    assert (await client.get(link)).status_code == 200
    page = await client.get("/board/reports")
    assert page.text.count('data-link="') == 1 and link.split("/")[-1] not in page.text  # shown once only
    off = re.search(r'action="(/board/reports/links/\d+/off)"', page.text)[1]
    assert (await client.post(off, data={"csrf": CSRF.search(page.text)[1]})).status_code == 200
    assert (await client.get(link)).status_code == 410
    second = await share(client)
    assert (await client.get(second)).status_code == 200
    await no_longer_coordinator(conn, org)
    assert (await client.get(second)).status_code == 410  # she is no coordinator here any more


async def test_a_calendar_link_comes_back_only_to_its_owner_and_only_under_the_key(conn, clock, org):
    """Shown again, it is made from its kept random part and the key: another key (a copy of the
    database taken elsewhere) gives nothing, and another person's page never gets it."""
    key = b"a-test-key-for-calendar-links-0123456789"
    her = Access.without_token(org.volunteer_id, org.id, "volunteer")
    made = await feeds.create(conn, clock, her, "personal", None, "https://volops.example", key)
    again = await feeds.current_link(conn, her, "personal", org.volunteer_id, "https://volops.example", key)
    assert again is not None and again.webcal_url == made.webcal_url
    elsewhere = b"another-deployments-key-0123456789abcdef"
    assert await feeds.current_link(conn, her, "personal", org.volunteer_id, "https://x", elsewhere) is None
    coordinator = Access.without_token(org.coordinator_id, org.id, "coordinator")
    assert (
        await feeds.current_link(conn, coordinator, "personal", org.coordinator_id, "https://x", key) is None
    )
    secret = made.webcal_url.rsplit("/", 1)[1].removesuffix(".ics")
    row = await conn.fetchrow("SELECT * FROM feed_subscriptions")
    assert all(secret.encode() not in bytes(v) for v in row.values() if isinstance(v, bytes))
