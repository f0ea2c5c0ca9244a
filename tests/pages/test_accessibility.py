"""Every page passes axe-core (Deque's rules, run in Debian's Chromium) with no serious or critical
violation, on a phone and on a desktop screen: labels, names, contrast, landmarks, focusable
controls. The pages need no JavaScript; axe itself does, so it runs in a context that allows it."""

import re
from pathlib import Path

import httpx
import pytest

from services.people import page_link
from tests.support.browser import chromium
from tests.support.factories import add_member, fictional_phone, make_partner
from tests.support.scheduling import tomorrows_pickup

AXE = Path(__file__).resolve().parents[1] / "js" / "node_modules" / "axe-core" / "axe.min.js"
LINK = re.compile(r"https?://\S+/s/\S+")
WIDTHS = (360, 1280)


async def violations(page) -> list[str]:
    await page.add_script_tag(path=str(AXE))
    found = await page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


async def test_every_page_passes_axe_at_phone_and_desktop_width(client, conn, clock, org, sms_stack):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/js; infra/setup.sh does it)")
    occurrence, role_id = await tomorrows_pickup(client, conn, clock, org)
    await conn.execute("UPDATE people SET sms_consent = false")
    phone = fictional_phone()
    await add_member(conn, clock, org, "Anna Exempel", phone=phone)
    asked = httpx.post(
        f"{sms_stack.api}/organisations/{org.id}/occurrences/{occurrence['id']}/roles/{role_id}/cover-requests",
        headers=org.auth(),
        json={"people": 1},
    )
    assert asked.status_code == 201, asked.text
    await sms_stack.send_when_due(conn)
    shift_link = next(LINK.search(m["body"])[0] for m in sms_stack.messages() if m["to"] == phone)
    api = sms_stack.api
    board_pages = [
        "/board",
        "/board/plan",
        "/board/plan/month",
        f"/board/occurrences/{occurrence['id']}",
        f"/board/occurrences/{occurrence['id']}/roles/{role_id}",
        "/board/autofill",
        "/board/rooms",
        "/board/qualifications",
        "/board/places",
        "/board/people",
        "/board/activities",
        "/board/activities/new",
        "/board/sms",
        "/board/reports",
        "/board/sessions",
        "/board/audit",
        f"/board/people/{org.coordinator_id}",
        f"/board/people/{org.coordinator_id}/availability",
        "/board/people/import",
        f"/board/activities/{occurrence['activity_id']}",
        "/board/occurrences/999999",  # an error page
    ]
    found = {}
    async with chromium() as browser:
        for width in WIDTHS:
            # axe is injected; the strict CSP would (rightly) refuse it
            context = await browser.new_context(
                viewport={"width": width, "height": 800}, locale="sv-SE", bypass_csp=True
            )
            page = await context.new_page()
            await page.goto(f"{api}/board/sign-in")
            found[f"sign-in@{width}"] = await violations(page)
            await page.goto(shift_link)
            found[f"shift@{width}"] = await violations(page)
            await page.goto(f"{api}/board/sign-in?token={org.coordinator_token}")
            for path in board_pages:
                await page.goto(api + path)
                found[f"{path}@{width}"] = await violations(page)
            await page.goto(f"{api}/board/reports")
            await page.click("text=Skapa en läslänk")
            found[f"report-link@{width}"] = await violations(page)
            await page.goto(await page.locator("#shared a").get_attribute("href"))
            found[f"funder-report@{width}"] = await violations(page)
            await context.close()
    assert len(found) == 2 * (len(board_pages) + 4)
    assert not {where: v for where, v in found.items() if v}


async def test_a_person_is_added_with_the_keyboard_alone(conn, org, sms_stack):
    """Tab reaches the form's fields in reading order (name, phone, language, role, SMS, save)
    and Enter sends it: no mouse needed."""
    async with chromium() as browser:
        context = await browser.new_context(viewport={"width": 360, "height": 800}, locale="sv-SE")
        page = await context.new_page()
        await page.goto(f"{sms_stack.api}/board/sign-in?token={org.coordinator_token}")
        await page.goto(f"{sms_stack.api}/board/people")
        order = []
        for _ in range(60):
            await page.keyboard.press("Tab")
            focused = await page.evaluate("document.activeElement.name || document.activeElement.id || ''")
            if (
                focused in ("display_name", "phone", "language", "role", "sms_consent")
                and focused not in order
            ):
                order.append(focused)
            if focused == "display_name":
                await page.keyboard.type("Tove Tangentbord")
            elif focused == "phone":
                await page.keyboard.type("070-174 06 95")
            elif focused == "sms_consent":
                await page.keyboard.press("Space")
                break
        assert order == ["display_name", "phone", "language", "role", "sms_consent"]
        await page.keyboard.press("Tab")  # to Save
        async with page.expect_navigation():
            await page.keyboard.press("Enter")
        await context.close()
    tove = await conn.fetchrow(
        "SELECT phone, sms_consent FROM people WHERE display_name = 'Tove Tangentbord'"
    )
    assert tove is not None and tove["phone"] == "+46701740695" and tove["sms_consent"]


async def _own_page_link(conn, clock, organisation_id: int, person_id: int) -> str:
    _token, secret = await page_link.issue(conn, clock, organisation_id, person_id)
    return page_link.sign_in_url("", secret)


async def test_a_volunteers_and_a_partners_own_pages_pass_axe(client, conn, clock, org, sms_stack):
    if not AXE.exists():
        pytest.skip("axe-core is not installed (npm ci --prefix tests/js; infra/setup.sh does it)")
    occurrence, _role_id = await tomorrows_pickup(client, conn, clock, org)
    partner = await make_partner(conn, clock)
    api = sms_stack.api
    volunteer = await _own_page_link(conn, clock, org.id, org.volunteer_id)
    contact = await _own_page_link(conn, clock, partner.id, partner.contact_id)
    own_pages = [
        "/my",
        "/my/open",
        f"/my/shifts/{occurrence['id']}",
        "/my/calendar",
        "/my/availability",
        "/my/settings",
    ]
    found = {}
    async with chromium() as browser:
        for width in WIDTHS:
            context = await browser.new_context(
                viewport={"width": width, "height": 800}, locale="sv-SE", bypass_csp=True
            )
            page = await context.new_page()
            await page.goto(api + "/my")  # not signed in: how to get a link
            found[f"signed-out@{width}"] = await violations(page)
            await page.goto(api + volunteer)
            for path in own_pages:
                await page.goto(api + path)
                found[f"{path}@{width}"] = await violations(page)
            await page.goto(api + "/my/calendar")
            await page.click("main form button")
            found[f"calendar-link@{width}"] = await violations(page)
            await page.goto(api + contact)
            found[f"rooms@{width}"] = await violations(page)
            await context.close()
    assert len(found) == 2 * (len(own_pages) + 3)
    assert not {where: v for where, v in found.items() if v}
