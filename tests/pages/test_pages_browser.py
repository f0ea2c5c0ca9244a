"""The pages in a real browser (Debian's Chromium through Playwright), against a real `volops serve`
and the fake Twilio: a phone-sized screen, and JavaScript switched off, since the pages must not
need it."""

import re
from datetime import timedelta

import httpx
import pytest

from tests.support.browser import PHONE, chromium, fits_the_screen
from tests.support.factories import add_member, fictional_phone, make_partner
from tests.support.scheduling import occurrences_of, plan, tomorrows_pickup

LINK = re.compile(r"https?://\S+/s/\S+")


@pytest.fixture
async def browser():
    async with chromium() as browser:
        yield browser


async def phone_page(browser):
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False, locale="sv-SE")
    return await context.new_page()


async def test_gap_on_the_board_asked_by_sms_filled_by_the_first_yes(
    browser, client, conn, clock, org, sms_stack
):
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    # Only these three can be asked: the organisation's own two have no SMS consent here.
    await conn.execute("UPDATE people SET sms_consent = false")
    helpers = {name: fictional_phone() for name in ("Anna Exempel", "Bodil Prov", "Cecilia Test")}
    for name, phone in helpers.items():
        await add_member(conn, clock, org, name, phone=phone)

    page = await phone_page(browser)
    await page.goto(f"{sms_stack.api}/board/sign-in?token={org.coordinator_token}")
    assert page.url == f"{sms_stack.api}/board"  # the token left the address bar
    gap = page.locator(f"article[data-occurrence='{occurrence['id']}']")
    await gap.wait_for()
    assert "Bread from the bakery" in await gap.inner_text()
    assert "driver: 1 till behövs" in await gap.inner_text()
    assert await fits_the_screen(page)

    await gap.get_by_role("link", name="Hitta ersättare: driver").click()
    names = await page.locator("ol.candidates h3").all_inner_texts()
    assert set(helpers) < set(names) and len(names) == 5
    coordinator = page.locator("ol.candidates li.card", has_text="Coordinator of malmo-test")
    assert "kan inte nås via sms" in await coordinator.inner_text()
    assert "0 h senaste 30 dagarna" in await page.locator("ol.candidates").inner_text()
    await page.get_by_role("button", name="Fråga via sms").click()
    assert "3 personer har fått ett sms" in await page.locator("p.notice").inner_text()
    assert await fits_the_screen(page)

    await sms_stack.send_when_due(conn)
    asks = [m for m in sms_stack.messages() if m["to"] in helpers.values()]
    assert len(asks) == 3 and all(LINK.search(m["body"]) for m in asks)
    code = re.search(r"JA (\d{4})", asks[0]["body"])[1]
    answer = sms_stack.inbound(helpers["Bodil Prov"], f"ja {code}")
    assert "Passet är ditt" in answer["reply"]

    await page.reload()
    assert "Tillsatt: Bodil Prov tackade ja." in await page.locator("#request").inner_text()
    await page.get_by_role("link", name="Luckor i schemat").first.click()
    assert await page.locator(f"article[data-occurrence='{occurrence['id']}']").count() == 0
    assert "driver: Bodil Prov tackade ja" in await page.locator("article.filled").inner_text()

    await sms_stack.send_when_due(conn)  # the others are told
    told = {m["to"] for m in sms_stack.messages() if "redan tillsatt" in m["body"]}
    assert told == {helpers["Anna Exempel"], helpers["Cecilia Test"]}


async def test_shift_page_from_the_sms_take_it_or_say_no(browser, client, conn, clock, org, sms_stack):
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    await conn.execute("UPDATE people SET sms_consent = false")
    phones = [fictional_phone() for _ in range(3)]
    people = [await add_member(conn, clock, org, f"Helper {n}", phone=p) for n, p in enumerate(phones)]
    response = httpx.post(  # through the real API process, so the links carry its address
        f"{sms_stack.api}/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{role_id}/cover-requests",
        headers=org.auth(),
        json={"people": 3},
    )
    assert response.status_code == 201, response.text
    await sms_stack.send_when_due(conn)
    link = {m["to"]: LINK.search(m["body"])[0] for m in sms_stack.messages()}

    page = await phone_page(browser)
    await page.goto(link[phones[0]])
    assert "Kan du ta det här passet?" in await page.locator("h1").inner_text()
    assert "Bread from the bakery" in await page.locator("main").inner_text()
    assert await fits_the_screen(page)
    await page.get_by_role("button", name="Nej, jag kan inte").click()
    assert "Tack för svaret" in await page.locator("#state").inner_text()

    await page.goto(link[phones[1]])
    await page.get_by_role("button", name="Ja, jag tar det").click()
    assert "Passet är ditt" in await page.locator("#state").inner_text()
    await page.reload()  # the answer is a redirect: reloading sends nothing again
    assert "Passet är ditt" in await page.locator("#state").inner_text()

    await page.goto(link[phones[2]])
    assert "Någon annan har redan tagit passet" in await page.locator("#state").inner_text()
    assert await page.locator("main").get_by_role("button").count() == 0  # (the header's are languages)
    taken = await conn.fetch("SELECT person_id FROM assignments WHERE occurrence_id = $1", occurrence["id"])
    assert [r["person_id"] for r in taken] == [people[1]]


async def test_autofill_preview_then_apply_rechecks_what_changed(
    browser, client, conn, clock, org, sms_stack
):
    start = (clock.now() + timedelta(days=2)).strftime("%Y-%m-%dT10:00:00")
    activity = await plan(
        client,
        org,
        start_local=start,
        rrule="FREQ=WEEKLY;COUNT=4",
        roles=[{"name": "driver", "min_people": 1, "max_people": 1}],
    )
    for n in range(2):
        await add_member(conn, clock, org, f"Driver {n}", phone=fictional_phone())

    page = await phone_page(browser)
    await page.goto(f"{sms_stack.api}/board/sign-in?token={org.coordinator_token}")
    await page.click("header details summary")  # under "More" on a phone
    await page.get_by_role("link", name="Fyll schemat automatiskt").click()
    await page.get_by_role("button", name="Visa förslag").click()
    assert (
        "4 av 4 lediga platser kan fyllas (högst 4 är möjligt)" in await page.locator("#summary").inner_text()
    )
    assert await page.locator("input[name=proposal]").count() == 4
    assert await fits_the_screen(page)

    # Meanwhile the organisation's volunteer signs up for the first one herself.
    first = (await occurrences_of(conn, activity["id"]))[0]
    signed = await client.post(
        f"/organisations/{org.id}/occurrences/{first['id']}/signups",
        headers=org.auth("volunteer"),
        json={"role_id": activity["roles"][0]["id"]},
    )
    assert signed.status_code == 201
    await page.get_by_role("button", name="Gör de 4 tilldelningarna").click()
    assert "3 tilldelningar gjorda" in await page.locator("#summary").inner_text()
    assert "Bread from the bakery" in await page.locator("ul.refused").inner_text()
    per_occurrence = await conn.fetch(
        "SELECT occurrence_id, count(*) FROM assignments WHERE status = 'active' GROUP BY 1"
    )
    assert sorted(r["count"] for r in per_occurrence) == [1, 1, 1, 1]  # nobody double-booked a place
    told = await conn.fetch("SELECT body FROM outbox WHERE key LIKE 'change:%:assigned:%'")
    # Each one assigned is told, as for any assignment made for her; the coordinator who pressed
    # the button and gave herself a shift is not texted what she just did.
    for_others = await conn.fetchval(
        "SELECT count(*) FROM assignments WHERE source = 'assigned' AND created_by <> person_id"
    )
    assert len(told) == for_others == 2 and all(
        t["body"].startswith("Du har fått ett pass: Bread from the bakery") for t in told
    )


async def test_partner_declines_one_date_and_confirms_the_rest_on_a_narrow_phone(
    browser, client, conn, clock, org, sms_stack
):
    partner = await make_partner(conn, clock)
    venue = await client.post(
        f"/organisations/{partner.id}/venues",
        headers=partner.auth(),
        json={"name": "Parish hall", "contacts": [partner.contact_id], "lent_to": [org.id]},
    )
    start = (clock.now() + timedelta(days=1)).strftime("%Y-%m-%dT18:00:00")
    activity = await plan(
        client,
        org,
        kind="group_meeting",
        title="Women's group",
        start_local=start,
        rrule="FREQ=WEEKLY;COUNT=5",
        roles=[{"name": "facilitator", "min_people": 0, "max_people": 1}],
    )
    asked = httpx.post(  # the coordinator asks for a term, through the real API process
        f"{sms_stack.api}/organisations/{org.id}/booking-requests",
        headers=org.auth(),
        json={"activity_id": activity["id"], "venue_id": venue.json()["id"]},
    )
    assert asked.status_code == 201, asked.text
    request = asked.json()
    await sms_stack.send_when_due(conn)
    sms = next(m for m in sms_stack.messages() if m["to"] == partner.contact_phone)
    assert f"JA {request['code']}" in sms["body"]

    context = await browser.new_context(
        viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="sv-SE"
    )
    page = await context.new_page()
    await page.goto(re.search(r"https?://\S+/b/\S+", sms["body"])[0])
    assert "vill gärna låna Parish hall för Women's group" in await page.locator("h1").inner_text()
    assert await page.locator("li[data-status=requested]").count() == 5
    assert await fits_the_screen(page)
    second = page.locator(f"li[data-booking='{request['bookings'][1]['id']}']")
    await second.get_by_role("button", name="Nej").click()
    assert await page.locator("li[data-status=declined]").count() == 1
    await page.get_by_role("button", name="Ja till alla 4 väntande datum").click()
    assert "Alla datum är besvarade" in await page.locator("#all-answered").inner_text()
    assert await page.locator("li[data-status=confirmed]").count() == 4
    assert await fits_the_screen(page)

    view = httpx.get(
        f"{sms_stack.api}/organisations/{org.id}/booking-requests/{request['id']}", headers=org.auth()
    ).json()
    assert [b["status"] for b in view["bookings"]] == ["confirmed", "declined", *["confirmed"] * 3]
    feed = httpx.post(
        f"{sms_stack.api}/organisations/{partner.id}/feeds", headers=partner.auth(), json={"kind": "venue"}
    ).json()
    calendar = httpx.get(feed["https_url"]).text
    assert calendar.count("BEGIN:VEVENT") == 4 and "Women's group" in calendar
