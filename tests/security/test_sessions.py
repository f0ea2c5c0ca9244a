"""Rule 5: a session lives on the server. The cookie carries a session id, not an API token;
signing out ends it at once (the old cookie opens nothing); a day idle or 30 days old it is over;
a sign-in for another organisation never silently switches a signed-in coordinator (she is asked
first); sign-out and the language switch take the form token."""

import re
from datetime import timedelta

import pytest
from litestar.testing import AsyncTestClient

from services.access.links import form_token
from services.access.service import hash_secret
from services.app import create_asgi
from services.people import page_link
from tests.board.test_plan import CSRF, signed_in
from tests.board.test_plan import form_token as page_form_token
from tests.support.factories import no_longer_coordinator

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_signing_out_ends_the_session_at_once(client, conn, org):
    await signed_in(client, org)
    cookie = client.cookies["volops_session"]
    assert cookie.startswith("vs_") and org.coordinator_token not in cookie
    csrf = await page_form_token(client, "/board")
    forged = await client.post("/board/sign-out", follow_redirects=False)
    assert (
        forged.status_code == 403 and (await client.get("/board")).status_code == 200
    )  # another site's form
    out = await client.post("/board/sign-out", data={"csrf": csrf}, follow_redirects=False)
    assert out.status_code == 303
    client.cookies.set("volops_session", cookie, path="/board")  # the old cookie, kept by someone
    assert (await client.get("/board")).status_code == 401
    assert await conn.fetchval("SELECT ended_at IS NOT NULL FROM sessions") is True


async def test_a_day_idle_or_thirty_days_old_and_it_is_over(client, clock, org):
    await signed_in(client, org)
    clock.advance(timedelta(hours=23))
    assert (await client.get("/board")).status_code == 200  # still there, and seen again
    clock.advance(timedelta(hours=23))
    assert (await client.get("/board")).status_code == 200
    clock.advance(timedelta(days=1, minutes=1))
    assert (await client.get("/board")).status_code == 401  # a day idle
    await signed_in(client, org)
    for _ in range(31):
        clock.advance(timedelta(hours=23, minutes=59))
        last = await client.get("/board")
    assert last.status_code == 401  # used every day, but 30 days old


async def test_a_sign_in_link_for_another_organisation_asks_first(client, conn, org, other_org):
    await signed_in(client, org)
    asked = await client.get(
        "/board/sign-in", params={"token": other_org.coordinator_token}, follow_redirects=False
    )
    assert asked.status_code == 200 and "malmo-test (test)" in asked.text and "oslo-test (test)" in asked.text
    assert "malmo-test (test)" in (await client.get("/board")).text  # nothing switched meanwhile
    switch = re.search(r'name="switch" value="([^"]+)"', asked.text)[1]
    forged = await client.post("/board/sign-in/switch", data={"switch": switch}, follow_redirects=False)
    assert forged.status_code == 403
    confirmed = await client.post(
        "/board/sign-in/switch",
        data={"switch": switch, "csrf": CSRF.search(asked.text)[1]},
        follow_redirects=False,
    )
    assert confirmed.status_code == 303 and "oslo-test (test)" in (await client.get("/board")).text
    sessions = await conn.fetch("SELECT organisation_id, ended_at IS NULL AS live FROM sessions ORDER BY id")
    assert [tuple(s) for s in sessions] == [(org.id, False), (other_org.id, True)]


async def test_her_own_pages_sign_out_and_a_switched_off_link_end_the_session(client, conn, clock, org):
    _id, link = await page_link.issue(conn, clock, org.id, org.volunteer_id)
    await client.get("/my/sign-in", params={"token": link})
    cookie = client.cookies["volops_my"]
    assert cookie.startswith("vs_") and link not in cookie
    csrf = CSRF.search((await client.get("/my/settings")).text)[1]
    await client.post("/my/sign-out", data={"csrf": csrf})
    client.cookies.set("volops_my", cookie, path="/my")
    assert (await client.get("/my")).status_code == 401
    client.cookies.clear()
    await client.get("/my/sign-in", params={"token": link})
    assert (await client.get("/my")).status_code == 200
    await page_link.revoke(conn, clock, org.id, org.volunteer_id)  # the link was switched off
    assert (await client.get("/my")).status_code == 401


async def test_a_role_taken_away_closes_the_board(client, conn, clock, org):
    await signed_in(client, org)
    await no_longer_coordinator(conn, org)
    assert (await client.get("/board")).status_code == 403


async def test_the_choice_to_switch_works_only_in_the_browser_it_was_shown_to(
    client, conn, settings, clock, org, other_org
):
    await signed_in(client, org)
    asked = await client.get("/board/sign-in", params={"token": other_org.coordinator_token})
    switch = re.search(r'name="switch" value="([^"]+)"', asked.text)[1]
    async with AsyncTestClient(create_asgi(settings, clock)) as elsewhere:  # another browser
        await elsewhere.get("/board/sign-in")  # it gets its own form cookie
        csrf = await form_token(conn, hash_secret("").hex())  # right for a browser without a session
        stolen = await elsewhere.post(
            "/board/sign-in/switch", data={"switch": switch, "csrf": csrf}, follow_redirects=False
        )
        assert stolen.status_code == 404 and "volops_session" not in stolen.cookies
