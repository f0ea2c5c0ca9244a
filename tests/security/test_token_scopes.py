"""Rule 3: a token has a scope and can never make a wider one. A personal page link opens the
person's own pages and, on the API, only what a volunteer does herself (her shifts, sign-ups,
availability, settings); it is no API key for people, tokens, places or venues, not even a
coordinator's own page link. A session cookie and a funder's report link are no API keys either."""

import re

import pytest

from services.app import create_app
from services.people import page_link
from tests.support.factories import make_partner
from tests.test_tenant_isolation import BODIES, QUERIES, every_route

pytestmark = pytest.mark.now("2026-03-02T10:00")
# What a volunteer does herself, with the link from her SMS (opt=PAGE_LINK_OK on the route).
HER_OWN = {
    ("GET", "/me"),
    ("GET", "/organisations/{org_id}/me/assignments"),
    ("GET", "/organisations/{org_id}/open-occurrences"),
    ("POST", "/organisations/{org_id}/occurrences/{occurrence_id}/signups"),
    ("DELETE", "/organisations/{org_id}/assignments/{assignment_id}"),
    ("GET", "/organisations/{org_id}/people/{person_id}/availability"),
    ("PUT", "/organisations/{org_id}/people/{person_id}/availability"),
    ("PUT", "/organisations/{org_id}/people/{person_id}/monthly-maximum"),
    ("GET", "/organisations/{org_id}/people/{person_id}"),
    ("PATCH", "/organisations/{org_id}/people/{person_id}"),
    ("POST", "/organisations/{org_id}/people/{person_id}/phone-proof"),
    ("GET", "/organisations/{org_id}/swap-offers"),
    ("POST", "/organisations/{org_id}/assignments/{assignment_id}/swap-offers"),
    ("POST", "/organisations/{org_id}/swap-offers/{offer_id}/take"),
    ("DELETE", "/organisations/{org_id}/swap-offers/{offer_id}"),
}


def test_the_routes_a_page_link_opens_are_exactly_her_own(settings):
    marked = {
        (method, re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path))
        for route in create_app(settings).routes
        for handler in getattr(route, "route_handlers", [])
        if handler.opt.get("page_link")
        for method in handler.http_methods
    }
    assert marked == HER_OWN


async def test_a_page_link_is_refused_everywhere_else(client, conn, clock, settings, org):
    parish = await make_partner(conn, clock)
    walked = 0
    holders = {  # a coordinator's own page link is no wider; a congregation's contact's neither
        "volunteer": (org.id, org.volunteer_id),
        "coordinator": (org.id, org.coordinator_id),
        "partner contact": (parish.id, parish.contact_id),
    }
    for who, (organisation_id, person) in holders.items():
        _id, link = await page_link.issue(conn, clock, organisation_id, person)
        for method, template in every_route(settings):
            if not template.startswith("/organisations/") or (method, template) in HER_OWN:
                continue
            url = template.replace("{org_id}", str(organisation_id))
            url = re.sub(r"\{\w+\}", str(person), url)
            body = BODIES.get((method, template))
            kwargs = (
                {"content": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
            )
            answer = await client.request(
                method,
                url,
                headers={"Authorization": f"Bearer {link}"},
                params=QUERIES.get(template),
                **kwargs,
            )
            assert answer.status_code == 403, (who, method, url, answer.status_code)
            assert answer.json()["type"].endswith("page-link-not-api-key")
            walked += 1
    assert walked > 120


async def test_a_coordinators_page_link_cannot_make_a_coordinators_token(client, conn, clock, org):
    _id, link = await page_link.issue(conn, clock, org.id, org.coordinator_id)
    made = await client.post(
        f"/organisations/{org.id}/people/{org.coordinator_id}/tokens",
        headers={"Authorization": f"Bearer {link}"},
        json={"label": "board sign-in by SMS"},
    )
    assert made.status_code == 403
    me = await client.get("/me", headers={"Authorization": f"Bearer {link}"})
    assert me.status_code == 200 and "coordinator" not in me.json()["roles"]  # never a coordinator's powers
    assert (
        await conn.fetchval("SELECT count(*) FROM api_tokens WHERE person_id = $1", org.coordinator_id) == 2
    )


async def test_her_page_link_does_what_she_does_herself(client, conn, clock, org):
    _id, link = await page_link.issue(conn, clock, org.id, org.volunteer_id)
    mine = await client.get(
        f"/organisations/{org.id}/me/assignments", headers={"Authorization": f"Bearer {link}"}
    )
    assert mine.status_code == 200
    other = await client.get(
        f"/organisations/{org.id}/people/{org.coordinator_id}", headers={"Authorization": f"Bearer {link}"}
    )
    assert other.status_code == 404  # and only about herself


async def test_a_session_cookie_and_a_report_link_are_no_api_keys(client, conn, org):
    signed = await client.get(
        "/board/sign-in", params={"token": org.coordinator_token}, follow_redirects=False
    )
    session = signed.cookies["volops_session"]
    assert session.startswith("vs_") and session != org.coordinator_token
    as_bearer = await client.get(
        f"/organisations/{org.id}/people", headers={"Authorization": f"Bearer {session}"}
    )
    assert as_bearer.status_code == 401
    page = await client.get("/board/reports?month=2026-02")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    shared = await client.post("/board/reports/link", data={"csrf": csrf, "month": "2026-02", "days": "7"})
    link = re.search(r'href="http[^"]*/r/([^"]+)"', shared.text)[1]
    for key in (link, f"vo_{link}"):
        refused = await client.get(
            f"/organisations/{org.id}/people", headers={"Authorization": f"Bearer {key}"}
        )
        assert refused.status_code == 401
