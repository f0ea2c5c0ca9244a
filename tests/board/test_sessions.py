"""A coordinator's sign-ins: listed (her own only), one ended from another browser, and ending
this browser's signs it out."""

import pytest

from services.access import service as access
from tests.board.test_plan import form_token, signed_in

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_list_and_end_sign_ins(client, conn, clock, org):
    _row, other_browser = await access.issue_token(
        conn, clock, organisation_id=org.id, person_id=org.coordinator_id, label="phone"
    )
    await signed_in(client, org)
    page = await client.get("/board/sessions")
    assert page.status_code == 200 and "phone" in page.text and "den här webbläsaren" in page.text
    assert page.text.count('data-token="') == 2  # hers only: the volunteer's token is not listed
    other_id = await conn.fetchval("SELECT id FROM api_tokens WHERE label = 'phone'")
    csrf = await form_token(client, "/board/sessions")
    ended = await client.post(f"/board/sessions/{other_id}/end", data={"csrf": csrf}, follow_redirects=False)
    assert ended.status_code == 303
    refused = await client.get(
        f"/organisations/{org.id}/me/assignments", headers={"Authorization": f"Bearer {other_browser}"}
    )
    assert refused.status_code == 401  # that sign-in is over everywhere
    this_id = await conn.fetchval(
        "SELECT id FROM api_tokens WHERE person_id = $1 AND revoked_at IS NULL ORDER BY id LIMIT 1",
        org.coordinator_id,
    )
    out = await client.post(f"/board/sessions/{this_id}/end", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/board/sign-in"
    assert (await client.get("/board")).status_code == 401
