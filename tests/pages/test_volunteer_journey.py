"""A volunteer who has never seen the service, on her phone in Chromium with JavaScript off: the SMS
with her link arrives at the fake Twilio, she opens it, subscribes to her calendar (the feed parses
in recurring-ical-events and in ical.js, with her shifts), takes an open shift, watches a full one,
is texted when it frees and takes it, and says she can't come to another, which the coordinator's
board shows at once. Another volunteer's link opened in her browser shows only his page. A partner
answers two room requests from one page. Real API, worker and fake Twilio processes."""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime

import httpx
import pytest

from tests.bookings.test_bookings import GROUP
from tests.feeds.test_feeds import by_ical, by_icaljs
from tests.support.browser import PHONE, chromium, fits_the_screen
from tests.support.factories import make_partner

pytestmark = pytest.mark.now("2026-03-02T10:00")  # a Monday
VERA = "070-174 06 93"
LINK = re.compile(r"https?://\S+/my/sign-in\?token=\S+")


def texted_to(sms_stack, phone: str, pattern: re.Pattern | str) -> list[str]:
    return [m["body"] for m in sms_stack.messages() if m["to"] == phone and re.search(pattern, m["body"])]


def api(sms_stack, method: str, path: str, org, who: str = "coordinator", **body) -> dict:
    response = httpx.request(
        method, f"{sms_stack.api}/organisations/{org.id}{path}", headers=org.auth(who), json=body or None
    )
    assert response.status_code < 300, response.text
    return response.json() if response.content else {}


async def _planned(conn, sms_stack, org) -> dict:
    """Four pickups with one driver each; Friday held by the other volunteer; Vera added (her link
    goes out) and put on the second Tuesday."""
    activity = api(
        sms_stack,
        "POST",
        "/activities",
        org,
        kind="food_pickup",
        title="Bröd till boendet",
        time_zone="Europe/Stockholm",
        start_local="2026-03-03T10:00:00",
        duration_minutes=120,
        rrule="FREQ=WEEKLY;BYDAY=TU,FR;COUNT=4",
        roles=[{"name": "driver", "min_people": 1, "max_people": 1}],
    )
    role = activity["roles"][0]["id"]
    dates = [r["id"] for r in await conn.fetch("SELECT id FROM occurrences ORDER BY local_date")]
    held = api(sms_stack, "POST", f"/occurrences/{dates[1]}/signups", org, "volunteer", role_id=role)
    vera = api(
        sms_stack,
        "POST",
        "/people",
        org,
        display_name="Vera Volontär",
        phone=VERA,
        roles=["volunteer"],
        sms_consent=True,
    )
    api(sms_stack, "POST", f"/occurrences/{dates[2]}/assignments", org, role_id=role, person_id=vera["id"])
    return {"dates": dates, "held": held, "vera": vera["id"]}


async def _subscribes(page, sms_stack, tmp_path, dates: list[int]) -> None:
    await page.click("header a[href='/my/calendar']")
    async with page.expect_navigation():
        await page.click("main form button")
    webcal = await page.locator("#link a[href^='webcal:']").get_attribute("href")
    # The QR code is for a computer's screen; on her phone, the buttons subscribe.
    assert await page.locator("#link svg").count() == 1 and not await page.locator("#link svg").is_visible()
    feed = httpx.get(webcal.replace("webcal://", "http://", 1)).text
    starts = [e[1] for e in by_ical(feed, date(2026, 3, 1), date(2026, 4, 1))]
    assert starts == [
        datetime.fromisoformat("2026-03-10T10:00:00+01:00")
    ]  # her one shift, as a calendar app reads it
    assert f"/my/shifts/{dates[2]}" in feed.replace("\r\n ", "")  # the event opens her shift page
    if shutil.which("node"):
        assert [e["start"] for e in by_icaljs(feed, tmp_path)["events"]] == ["2026-03-10T09:00:00.000Z"]


async def _takes_and_watches(page, conn, sms_stack, org, planned: dict) -> None:
    tuesday, friday = planned["dates"][:2]
    await page.click("header a[href='/my']")
    async with page.expect_navigation():
        await page.click(f"#open-shifts [data-offer='{tuesday}'] button")
    assert "/my/shifts/" in page.url and "Passet är ditt" in await page.inner_text("main")
    await page.goto(f"{sms_stack.api}/my")
    async with page.expect_navigation():
        await page.click(f"#full-shifts [data-offer='{friday}'] button")
    assert "Du får ett sms när en plats blir ledig." in await page.inner_text("main")
    sms_stack.inbound(org.volunteer_phone, f"NEJ {planned['held']['code']}")  # he can't come after all
    await sms_stack.send_when_due(conn)
    (freed,) = texted_to(sms_stack, "+46701740693", "plats är ledig")
    assert "Bröd till boendet" in freed
    await page.goto(f"{sms_stack.api}/my/shifts/{friday}")
    async with page.expect_navigation():
        await page.click(f"[data-offer='{friday}'] form[action='/my/take'] button")
    taken = await conn.fetchval(
        "SELECT count(*) FROM assignments WHERE person_id = $1 AND status = 'active' AND occurrence_id = ANY($2)",
        planned["vera"],
        [tuesday, friday],
    )
    assert taken == 2


async def _cant_come_shows_on_the_board(browser, page, sms_stack, org, later: int) -> None:
    await page.goto(f"{sms_stack.api}/my")
    await page.click(f"[data-shift='{later}'] details.cant-come summary")  # it asks once
    async with page.expect_navigation():
        await page.click(f"[data-shift='{later}'] form[action$='/cant-come'] button")
    assert "Dina samordnare ser det nu." in await page.inner_text("main")
    board = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    coordinator = await board.new_page()
    await coordinator.goto(f"{sms_stack.api}/board/sign-in?token={org.coordinator_token}")
    assert await coordinator.locator(f"a[href^='/board/occurrences/{later}/roles/']").count() == 1
    await board.close()


async def _a_partner_answers_two_requests(browser, conn, clock, sms_stack, org) -> None:
    partner = await make_partner(conn, clock)
    venue = httpx.post(
        f"{sms_stack.api}/organisations/{partner.id}/venues",
        headers=partner.auth(),
        json={"name": "Församlingshemmet", "contacts": [partner.contact_id], "lent_to": [org.id]},
    ).json()
    for title, start in (("Kvinnogruppen", "2026-03-04T18:00:00"), ("Föräldrakväll", "2026-03-05T18:00:00")):
        group = api(
            sms_stack,
            "POST",
            "/activities",
            org,
            **(
                GROUP
                | {
                    "title": title,
                    "start_local": start,
                    "rrule": "FREQ=WEEKLY;COUNT=2",
                    "time_zone": "Europe/Stockholm",
                }
            ),
        )
        api(sms_stack, "POST", "/booking-requests", org, activity_id=group["id"], venue_id=venue["id"])
    httpx.post(
        f"{sms_stack.api}/organisations/{partner.id}/people/{partner.contact_id}/page-link",
        headers=partner.auth(),
    )
    await sms_stack.send_when_due(conn)
    link = LINK.search(texted_to(sms_stack, partner.contact_phone, "/my/sign-in")[0])[0]
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(link)
    assert page.url.endswith("/my/rooms") and await page.locator("#waiting li[data-booking]").count() == 4
    async with page.expect_navigation():
        await page.click("#confirm-all")
    assert await page.locator("#confirmed li[data-booking]").count() == 4
    await context.close()


async def test_a_new_volunteers_first_shifts_on_her_phone(conn, clock, org, sms_stack, tmp_path):
    planned = await _planned(conn, sms_stack, org)
    await sms_stack.send_when_due(conn)
    (welcome,) = texted_to(sms_stack, "+46701740693", "/my/sign-in")
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
        page = await context.new_page()
        await page.goto(LINK.search(welcome)[0])
        assert page.url == f"{sms_stack.api}/my" and "Hej Vera!" in await page.inner_text("main")
        await _subscribes(page, sms_stack, tmp_path, planned["dates"])
        await _takes_and_watches(page, conn, sms_stack, org, planned)
        await _cant_come_shows_on_the_board(browser, page, sms_stack, org, planned["dates"][2])
        await page.goto(f"{sms_stack.api}/my")
        await page.screenshot(path=str(tmp_path / "my-page.png"), full_page=True)
        assert await fits_the_screen(page)
        api(sms_stack, "POST", f"/people/{org.volunteer_id}/page-link", org)
        await sms_stack.send_when_due(conn)
        his = LINK.search(texted_to(sms_stack, org.volunteer_phone, "/my/sign-in")[-1])[0]
        await page.goto(his)  # his link, in her browser
        shown = await page.inner_text("main")
        assert "Hej Volunteer!" in shown and "Hej Vera!" not in shown
        assert (
            await page.locator(f"[data-shift='{planned['dates'][0]}']").count() == 0
        )  # her shift is not his
        await _a_partner_answers_two_requests(browser, conn, clock, sms_stack, org)
        await context.close()
