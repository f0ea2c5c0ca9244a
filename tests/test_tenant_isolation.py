"""Walks every route the app registers with another organisation's tokens: nothing of the first
organisation may be seen or changed, and its existence must not leak (404, never 403)."""

import re

import pytest
from litestar.routes import HTTPRoute

from services import db
from services.access.service import Access
from services.app import create_app
from services.partnerships import service as partnerships
from tests.support.factories import make_org
from tests.support.sms import reply

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")

# A valid body for every route that takes one, so the guard (not validation) is what answers.
BODIES = {
    ("PATCH", "/organisations/{org_id}"): {"name": "Taken over"},
    ("POST", "/organisations/{org_id}/people"): {"display_name": "Intruder", "roles": ["coordinator"]},
    ("PATCH", "/organisations/{org_id}/people/{person_id}"): {"display_name": "Renamed"},
    ("POST", "/organisations/{org_id}/people/{person_id}/roles"): {"role": "coordinator"},
    ("POST", "/organisations/{org_id}/people/{person_id}/deactivate"): {},
    ("POST", "/organisations/{org_id}/people/import"): b"name,phone\nIntruder,070-174 06 98\n",
    ("POST", "/organisations/{org_id}/people/{person_id}/tokens"): {"label": "stolen"},
    ("POST", "/organisations/{org_id}/qualification-types"): {"name": "Stolen"},
    ("POST", "/organisations/{org_id}/people/{person_id}/qualifications"): {"qualification_type_id": 1},
    ("POST", "/organisations/{org_id}/places"): {"name": "Stolen place"},
    ("PUT", "/organisations/{org_id}/places/{place_id}"): {"name": "Renamed place"},
    ("POST", "/organisations/{org_id}/activities"): {
        "kind": "other",
        "title": "Intrusion",
        "time_zone": "Europe/Oslo",
        "start_local": "2026-03-10T10:00:00",
        "duration_minutes": 60,
        "roles": [{"name": "helper"}],
    },
    ("PATCH", "/organisations/{org_id}/activities/{activity_id}"): {"title": "Renamed"},
    ("POST", "/organisations/{org_id}/activities/{activity_id}/split"): {
        "from_date": "2026-03-17",
        "change": {},
    },
    ("POST", "/organisations/{org_id}/activities/{activity_id}/roles"): {"name": "helper"},
    ("PUT", "/organisations/{org_id}/activities/{activity_id}/roles/{role_id}"): {"name": "renamed"},
    ("PATCH", "/organisations/{org_id}/occurrences/{occurrence_id}"): {"status": "cancelled"},
    ("POST", "/organisations/{org_id}/occurrences/{occurrence_id}/signups"): {"role_id": 1},
    ("POST", "/organisations/{org_id}/occurrences/{occurrence_id}/assignments"): {
        "role_id": 1,
        "person_id": 1,
    },
    ("PUT", "/organisations/{org_id}/assignments/{assignment_id}/attendance"): {"attendance": "attended"},
    ("PUT", "/organisations/{org_id}/people/{person_id}/availability"): {"weekly": []},
}
BODIES |= {
    ("POST", "/organisations/{org_id}/feeds"): {"kind": "personal", "person_id": 1},
    ("POST", "/organisations/{org_id}/feeds/{feed_id}/rotate"): {},
    ("POST", "/organisations/{org_id}/people/{person_id}/page-link"): {},
    ("PUT", "/organisations/{org_id}/check-in-window"): {"minutes": 30},
    ("POST", "/organisations/{org_id}/people/{person_id}/erase"): {"confirm": True},
    ("PUT", "/organisations/{org_id}/people/{person_id}/keep"): {"keep": True},
    ("PUT", "/organisations/{org_id}/activities/{activity_id}/check-in-window"): {"minutes": 30},
    ("PUT", "/organisations/{org_id}/people/{person_id}/on-duty"): {"on_duty": True},
    ("PUT", "/organisations/{org_id}/people/{person_id}/monthly-maximum"): {"max_hours_per_month": 1},
    ("POST", "/organisations/{org_id}/occurrences/{occurrence_id}/roles/{role_id}/cover-requests"): {
        "people": 1
    },
    ("POST", "/organisations/{org_id}/assignments/{assignment_id}/swap-offers"): {},
    ("POST", "/organisations/{org_id}/swap-offers/{offer_id}/take"): {},
    ("POST", "/organisations/{org_id}/sms/problems/{outbox_id}/send-again"): {},
    ("POST", "/organisations/{org_id}/autofill/preview"): {
        "start": "2026-03-02T00:00:00+01:00",
        "end": "2026-03-09T00:00:00+01:00",
    },
    ("POST", "/organisations/{org_id}/autofill/apply"): {
        "proposals": [{"occurrence_id": 1, "role_id": 1, "person_id": 2}]
    },
    ("POST", "/organisations/{org_id}/venues"): {"name": "Stolen room"},
    ("POST", "/organisations/{org_id}/booking-requests"): {"activity_id": 1, "venue_id": 1},
    ("POST", "/organisations/{org_id}/people/{person_id}/phone-proof"): {"code": "123456"},
    ("POST", "/organisations/{org_id}/partnerships"): {"partner": "third-test"},
    ("POST", "/organisations/{org_id}/partnerships/{partnership_id}/accept"): {},
    ("PUT", "/organisations/{org_id}/bookings/{booking_id}/answer"): {"answer": "decline"},
}
QUERIES = {"/organisations/{org_id}/reports/hours": {"month": "2026-03"}}
# Routes that are not about any organisation's data.
# /feeds/{name} is reached by its secret URL, not a token: tests/feeds/test_feeds.py covers it.
# The Twilio webhooks are signed by Twilio, not authorised by a token: tests/sms/test_sms_sending.py covers them.
OPEN = {
    "/health",
    "/ping",
    "/ready",
    "/metrics",
    "/me",
    "/feeds/{name}",
    "/webhooks/twilio/sms",
    "/webhooks/twilio/status",
    "/language",  # sets the reader's language cookie; reads nothing
}

# Pages: the board finds its coordinator (and so the organisation) from the session cookie, and
# tests/rota/test_pages.py checks that another organisation's coordinator finds nothing there; a shift
# page is opened by a link signed for one person (tests/rota/test_pages.py too), a partner's booking
# page likewise (tests/bookings/test_bookings.py), and a funder's report by a link signed for one
# organisation's month (tests/board/test_reports.py). A volunteer's or partner's own page (/my) acts
# only for the person her cookie names (tests/my/).
PAGES = ("/board", "/s/", "/b/", "/r/", "/my")


def every_route(settings):
    app = create_app(settings)
    for route in app.routes:
        if not isinstance(route, HTTPRoute):
            continue
        path = re.sub(r"\{(\w+):\w+\}", r"{\1}", route.path)
        for method in sorted(route.methods - {"OPTIONS", "HEAD"}):
            yield method, path


async def snapshot(conn) -> list:
    """Everything stored, except when a token was last used (reading may touch that)."""
    tables = [
        "organisations",
        "people",
        "memberships",
        "api_tokens",
        "qualification_types",
        "person_qualifications",
        "places",
        "activities",
        "activity_shares",
        "activity_roles",
        "occurrences",
        "assignments",
        "assignment_notices",
        "availability",
        "blackouts",
        "feed_subscriptions",
        "swap_offers",
        "venues",
        "venue_contacts",
        "venue_borrowers",
        "booking_requests",
        "bookings",
        "partnerships",
        "report_links",
        "phone_proofs",
    ]
    out = []
    for table in tables:
        for row in await conn.fetch(f"SELECT * FROM {table} ORDER BY 1"):
            out.append((table, {k: v for k, v in dict(row).items() if k != "last_used_at"}))
    return out


async def _asked_by_a_third(conn, clock, org) -> int:
    """A third organisation asked org to be partners: org's to accept or end, nobody else's."""
    third = await make_org(conn, clock, "third-test")
    await partnerships.ask(conn, clock, Access.without_token(0, third.id, "coordinator"), org.slug)
    return await conn.fetchval("SELECT id FROM partnerships WHERE asked_by = $1", third.id)


async def _a_text_for_the_inbox(conn, clock, org) -> int:
    """What the volunteer texted that waits for the first organisation's coordinators."""
    await reply(conn, clock, org.volunteer_phone, "Hej, jag är sjuk idag", "SMisolation1")
    await db.act_as(conn, None, None, "job", clock.now())  # this connection no longer acts as her
    return await conn.fetchval("SELECT id FROM sms_replies WHERE sid = 'SMisolation1'")


async def first_organisations_things(client, conn, clock, org) -> dict:
    """A protected place, a weekly activity with occurrences and a sign-up, all of org."""
    await conn.execute(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Driving licence')", org.id
    )
    token_id = await conn.fetchval("SELECT id FROM api_tokens WHERE person_id = $1", org.volunteer_id)
    place = await client.post(
        f"/organisations/{org.id}/places",
        headers=org.auth(),
        json={"name": "Secret house", "address": "Hemligvägen 1", "protected": True},
    )
    activity = await client.post(
        f"/organisations/{org.id}/activities",
        headers=org.auth(),
        json={
            "kind": "food_pickup",
            "title": "Bread pickup",
            "time_zone": "Europe/Stockholm",
            "start_local": "2026-03-03T10:00:00",
            "duration_minutes": 60,
            "rrule": "FREQ=WEEKLY;BYDAY=TU",
            "roles": [{"name": "driver", "max_people": 2}],
            "place_id": place.json()["id"],
        },
    )
    assert activity.status_code == 201, activity.text
    occurrence_id = await conn.fetchval("SELECT min(id) FROM occurrences")
    signed = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence_id}/signups",
        headers=org.auth("volunteer"),
        json={"role_id": activity.json()["roles"][0]["id"]},
    )
    assert signed.status_code == 201, signed.text
    feed = await client.post(
        f"/organisations/{org.id}/feeds", headers=org.auth(), json={"kind": "organisation"}
    )
    assert feed.status_code == 201, feed.text
    venue = await client.post(
        f"/organisations/{org.id}/venues",
        headers=org.auth(),
        json={"name": "Own hall", "address": "Hemligvägen 1"},
    )
    booking_request = await client.post(
        f"/organisations/{org.id}/booking-requests",
        headers=org.auth(),
        json={
            "activity_id": activity.json()["id"],
            "venue_id": venue.json()["id"],
            "occurrence_id": occurrence_id,
        },
    )
    assert booking_request.status_code == 201, booking_request.text
    return {
        "feed_id": feed.json()["id"],
        "org_id": org.id,
        "person_id": org.volunteer_id,
        "token_id": token_id,
        "role": "volunteer",
        "place_id": place.json()["id"],
        "activity_id": activity.json()["id"],
        "occurrence_id": occurrence_id,
        "assignment_id": signed.json()["id"],
        "role_id": activity.json()["roles"][0]["id"],
        "request_id": booking_request.json()["id"],
        "booking_id": booking_request.json()["bookings"][0]["id"],
        "outbox_id": await conn.fetchval(
            "INSERT INTO outbox (key, kind, organisation_id, to_address, body, segments, due_at, status)"
            " VALUES ('lost:1', 'message', $1, $2, 'Lost', 1, now(), 'unknown') RETURNING id",
            org.id,
            org.volunteer_phone,
        ),
        "partnership_id": await _asked_by_a_third(conn, clock, org),
        "text_id": await _a_text_for_the_inbox(conn, clock, org),
        "offer_id": (
            await client.post(
                f"/organisations/{org.id}/assignments/{signed.json()['id']}/swap-offers",
                headers=org.auth("volunteer"),
                json={},
            )
        ).json()["id"],
    }


async def test_no_route_reaches_another_organisation(client, conn, clock, settings, org, other_org):
    values = await first_organisations_things(client, conn, clock, org)
    secrets = [
        org.slug,
        org.volunteer_phone,
        f"Volunteer of {org.slug}",
        f"Coordinator of {org.slug}",
        "Hemligvägen",
        "Bread pickup",
    ]
    before = await snapshot(conn)
    walked = set()
    for method, template in every_route(settings):
        if template.startswith(("/schema", "/static/", *PAGES)) or template in OPEN:
            continue
        assert template.startswith("/organisations/{org_id}"), (
            f"classify the new route {method} {template} here"
        )
        url = template.format(**values)
        walked.add((method, template))
        body = BODIES.get((method, template))
        assert body is not None or method in ("GET", "DELETE"), f"add a valid body for {method} {template}"
        for who in ("coordinator", "volunteer"):
            kwargs = (
                {"content": body} if isinstance(body, bytes) else {"json": body} if body is not None else {}
            )
            response = await client.request(
                method, url, headers=other_org.auth(who), params=QUERIES.get(template), **kwargs
            )
            assert response.status_code == 404, (
                f"{who} of another organisation: {method} {url} -> {response.status_code}"
            )
            assert all(secret not in response.text for secret in secrets), f"{method} {url} leaked"
    assert set(BODIES) <= walked, "BODIES names routes that no longer exist"
    assert len(walked) >= 30
    assert await snapshot(conn) == before


async def test_me_is_always_your_own(client, org, other_org):
    me = (await client.get("/me", headers=other_org.auth())).json()
    assert me["organisation_id"] == other_org.id and me["person_id"] == other_org.coordinator_id
