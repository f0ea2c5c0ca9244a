"""The tenant-isolation walk over every page route: signed in to the board of another organisation,
and holding the own page of a volunteer there, nothing of the first organisation is shown or
changed, and its ids find nothing."""

import pytest

from services.people import page_link
from tests.board.test_plan import CSRF, signed_in
from tests.test_tenant_isolation import every_route, first_organisations_things, snapshot

pytestmark = pytest.mark.now("2026-03-02T10:00")
SECRETS = ("Hemligvägen", "Bread pickup", "Volunteer of malmo-test", "Coordinator of malmo-test")
# Ending this browser's session is walked by tests/security/test_sessions.py, not here.
SIGNING_OUT = {"/board/sign-out", "/board/sessions/{session_id}/end", "/my/sign-out"}


async def firsts(conn, org) -> list:
    """What of everything stored is the first organisation's (her own forms may change the other's)."""
    people = {
        r["person_id"]
        for r in await conn.fetch("SELECT person_id FROM memberships WHERE organisation_id = $1", org.id)
    }
    activities = {
        r["id"] for r in await conn.fetch("SELECT id FROM activities WHERE organisation_id = $1", org.id)
    }
    return [
        (table, row)
        for table, row in await snapshot(conn)
        if row.get("organisation_id") == org.id
        or (table == "people" and row["id"] in people)
        or row.get("person_id") in people
        or row.get("activity_id") in activities
    ]


async def test_no_page_reaches_another_organisation(client, conn, clock, settings, org, other_org):
    values = await first_organisations_things(client, conn, clock, org)
    values |= {"name": "x", "token": "x", "link_id": 1, "session_id": 1, "feed_id": values["feed_id"]}
    before = await firsts(conn, org)
    await signed_in(client, other_org)
    _id, link = await page_link.issue(conn, clock, other_org.id, other_org.volunteer_id)
    await client.get("/my/sign-in", params={"token": link})
    csrf = {
        "/board": CSRF.search((await client.get("/board")).text)[1],
        "/my": CSRF.search((await client.get("/my/settings")).text)[1],
    }
    statuses = []
    for method, template in every_route(settings):
        if not template.startswith(("/board", "/my")) or template.startswith("/board/sign-in"):
            continue
        if template in SIGNING_OUT or "sign-in" in template or "signed-out" in template:
            continue
        url = template.format(**values)
        form = {"csrf": csrf["/my" if url.startswith("/my") else "/board"]} if method == "POST" else None
        answer = await client.request(method, url, data=form)
        assert all(secret not in answer.text for secret in SECRETS), f"{method} {url} leaked"
        if "{" in template and method == "GET":
            assert answer.status_code == 404, f"{method} {url} -> {answer.status_code}"
        statuses.append(answer.status_code)
    assert len(statuses) > 60 and 401 not in statuses  # signed in throughout: the rules answered
    assert 500 not in statuses  # an empty form is refused in words, never a crash
    assert await firsts(conn, org) == before
