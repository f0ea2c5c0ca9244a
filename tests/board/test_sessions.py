"""A coordinator's sign-ins: listed (her own only), one ended from another browser, and ending
this browser's signs it out."""

import pytest

from services.access import sessions
from services.access.service import access_of
from tests.board.test_plan import form_token, signed_in

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_list_and_end_sign_ins(client, conn, clock, org):
    coordinator = await access_of(conn, org.coordinator_id, org.id)
    other_browser = await sessions.start(conn, clock, "board", coordinator)
    volunteer = await access_of(conn, org.volunteer_id, org.id)
    await sessions.start(conn, clock, "my", volunteer)  # someone else's: never listed
    await signed_in(client, org)
    page = await client.get("/board/sessions")
    assert page.status_code == 200 and "den här webbläsaren" in page.text
    assert page.text.count('data-session="') == 2  # hers only
    other_id, this_id = [
        r["id"] for r in await conn.fetch("SELECT id FROM sessions WHERE kind = 'board' ORDER BY id")
    ]
    csrf = await form_token(client, "/board/sessions")
    ended = await client.post(f"/board/sessions/{other_id}/end", data={"csrf": csrf}, follow_redirects=False)
    assert ended.status_code == 303
    assert await sessions.current(conn, clock, "board", other_browser) is None  # that sign-in is over
    out = await client.post(f"/board/sessions/{this_id}/end", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/board/sign-in"
    assert (await client.get("/board")).status_code == 401
