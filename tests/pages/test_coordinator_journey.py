"""A coordinator who has never seen the service runs her first weeks in Chromium, JavaScript off,
no curl: from the sign-in link she creates the places (the shelter protected), a Tuesday and
Friday pickup from a bakery to the shelter with a driver needing a licence, two volunteers (one
typed, one imported from a spreadsheet whose bad row is refused first), records the licence, fills
next week (one by hand, the rest by auto-fill), moves one date, cancels another, marks attendance
after the first and downloads the month's report, whose hours match the attendance. In Swedish,
and again in Norwegian (chosen with the language switcher). Bad input on every form gives the
form again with the field marked and nothing written; another organisation's ids give the
not-found page; the shelter's address appears on no page but its own coordinators'."""

from __future__ import annotations

import csv
import io
import subprocess
from contextlib import ExitStack
from datetime import timedelta

import pytest

from services.activities.kinds import kind_name
from services.words import translate
from tests.support.browser import PHONE, chromium, fits_the_screen
from tests.support.processes import VOLOPS, free_port, wait_until_up

pytestmark = pytest.mark.now("2026-03-02T10:00")  # a Monday; "next week" is 9-15 March

ADDRESS = "Hemliggatan 7, Malmö"
SHEET = "namn;telefon;språk;sms\nIda Import;070-174 06 91;{lang};ja\nFel Rad;12345;{lang};ja\n"


class Journey:
    """The coordinator's browser, counting what she does (each page opened, field filled, click)."""

    def __init__(self, page, api: str, language: str):
        self.page, self.api, self.language, self.steps = page, api, language, 0

    def words(self, text: str, **values) -> str:
        return translate(self.language, text).format(**values)

    async def open(self, path: str):
        self.steps += 1
        response = await self.page.goto(self.api + path)
        return response

    async def fill(self, fields: dict[str, str]) -> None:
        for selector, value in fields.items():
            self.steps += 1
            await self.page.fill(selector, value)

    async def press(self, selector: str):
        self.steps += 1
        async with self.page.expect_navigation():
            await self.page.click(selector)

    async def text(self) -> str:
        return await self.page.inner_text("main")


async def _set_up(j: Journey) -> dict:
    """Places, the licence, the series, two volunteers and the licence recorded."""
    await j.open("/board/places")
    for name, address, protected in (
        ("Bageriet Exempel", "Bagargatan 1, Malmö", False),
        ("Skyddat boende", ADDRESS, True),
    ):
        await j.fill({"#name": name, "#address": address})
        if protected:
            j.steps += 1
            await j.page.check("input[name=protected]")
        await j.press("main form button[type=submit]")
    await j.open("/board/qualifications")
    await j.fill({"#name": "Körkort"})
    await j.press("form[action='/board/qualifications/types'] button")

    await j.open("/board/activities/new")
    await j.fill(
        {"#title": "Bröd till boendet", "#start_date": "2026-03-03", "#start_time": "10:00", "#times": "8"}
    )
    for day in ("TU", "FR"):
        j.steps += 1
        await j.page.check(f"input[name=weekdays][value={day}]")
    await j.fill(
        {"#role_name-0": "driver", "#role_min-0": "1", "#role_max-0": "1", "#donor": "Bageriet Exempel"}
    )
    for select, label in (
        ("#qualification_type_id-0", "Körkort"),
        ("#pickup_place_id", "Bageriet Exempel"),
        ("#dropoff_place_id", "Skyddat boende"),
    ):
        j.steps += 1
        await j.page.select_option(select, label=label)
    await j.press("button[name=preview]")
    assert len(await j.page.locator("#preview li").all()) == 8
    await j.press("button[name=save]")

    await j.open("/board/people")
    await j.fill({"#display_name": "Vera Volontär", "#phone": "070-174 06 90"})
    j.steps += 1
    await j.page.check("input[name=sms_consent]")
    await j.press("form[method=post][action='/board/people'] button[type=submit]")
    assert j.words("Saved: {name}", name="Vera Volontär") in await j.text()

    await j.open("/board/people/import")
    sheet = SHEET.format(lang=j.language).encode()
    j.steps += 1
    await j.page.set_input_files(
        "#file", files=[{"name": "volontarer.csv", "mimeType": "text/csv", "buffer": sheet}]
    )
    await j.press("form[action='/board/people/import'] button")
    assert j.words("Rows with problems") in await j.text()  # row 3's phone: nothing imported
    assert j.words("phone") in await j.page.inner_text("#row-problems td:nth-child(2)")
    fixed = sheet.replace(b"Fel Rad;12345", b"Fel Rad;070-174 06 92")
    j.steps += 1
    await j.page.set_input_files(
        "#file", files=[{"name": "volontarer.csv", "mimeType": "text/csv", "buffer": fixed}]
    )
    await j.press("form[action='/board/people/import'] button")
    assert (
        j.words(
            "Imported: {created} new, {updated} changed, {unchanged} unchanged.",
            created=2,
            updated=0,
            unchanged=0,
        )
        in await j.text()
    )

    await j.open("/board/people?q=Vera")
    await j.press("#people a")
    vera = j.page.url.rsplit("/", 1)[1]
    j.steps += 1
    await j.page.select_option("#qualification_type_id", label="Körkort")
    await j.press("form[action$='/qualifications'] button")
    assert "Körkort" in await j.page.inner_text("#qualifications")
    return {"vera": vera}


async def _fill_next_week(j: Journey) -> list[str]:
    """Tuesday's driver by hand, Friday's by auto-fill; then one date moved and one cancelled."""
    await j.open("/board/plan?week=2026-03-09")
    occurrences = [
        await a.get_attribute("href") for a in await j.page.locator("[data-occurrence] h3 a").all()
    ]
    assert len(occurrences) == 2
    await j.open(occurrences[0])
    j.steps += 1
    # The who list ranks her first among the qualified, with her hours; nobody is chosen for you.
    vera = j.page.locator("select[name=person_id] option", has_text="Vera Volontär").first
    await j.page.select_option("select[name=person_id]", value=await vera.get_attribute("value"))
    await j.press("form[action$='/assign'] button[type=submit]")
    assert "Vera Volontär" in await j.text() and await j.page.locator("#saved").count() == 1

    await j.open("/board/autofill")
    await j.fill({"#start": "2026-03-09", "#end": "2026-03-15"})
    await j.press("form[action='/board/autofill'] button")
    assert "Vera Volontär" in await j.text()  # the only one holding the licence
    await j.press("form[action='/board/autofill/apply'] button")

    await j.open("/board/plan?week=2026-03-16")
    later = [await a.get_attribute("href") for a in await j.page.locator("[data-occurrence] h3 a").all()]
    await j.open(later[0])
    j.steps += 1
    await j.page.click("main details summary")
    await j.fill({"#start_local": "2026-03-18T11:00"})
    await j.press("form[action$='/move'] button")
    assert "11:00" in await j.text()
    await j.open(later[1])
    j.steps += 1  # cancelling asks once: open it, then say yes
    await j.page.click("#cancel summary")
    await j.press("form[action$='/cancel'] button")
    return occurrences


async def _bad_input_is_marked(j: Journey, conn) -> None:
    """Each form's bad input: the form again, the field marked, nothing written."""
    before = await conn.fetchval("SELECT count(*) FROM activities")
    for fields, marked in (
        ({"#title": ""}, "#title"),
        ({"#until": "2026-03-01"}, "#until"),
        ({"#start_date": "2026-03-29", "#start_time": "02:30"}, "#start_time"),  # the clocks go forward
    ):
        await j.open("/board/activities/new")
        await j.fill({"#title": "Fel", "#start_date": "2026-03-03", "#start_time": "10:00"} | fields)
        await j.page.check("input[name=weekdays][value=TU]")
        await j.press("button[name=save]")
        assert await j.page.get_attribute(marked, "aria-invalid") == "true", fields
    assert await conn.fetchval("SELECT count(*) FROM activities") == before
    await j.open("/board/people")
    await j.fill({"#display_name": "Fel Nummer", "#phone": "07-1"})
    await j.press("form[method=post][action='/board/people'] button[type=submit]")
    assert await j.page.get_attribute("#phone", "aria-invalid") == "true"
    assert await conn.fetchval("SELECT count(*) FROM people WHERE display_name = 'Fel Nummer'") == 0


def _later_api(sms_stack, clock, days: int, stack: ExitStack) -> str:
    """A second API process whose clock stands `days` later (the first one keeps running); it is
    stopped when the test ends, passed or not."""
    clock.advance(timedelta(days=days))
    port = free_port()
    process = subprocess.Popen(
        [*VOLOPS, "serve"], env=sms_stack.env(VOLOPS_PORT=str(port)), stderr=subprocess.DEVNULL
    )
    stack.callback(process.wait, 20)
    stack.callback(process.terminate)
    wait_until_up(f"http://127.0.0.1:{port}/health", process)
    return f"http://127.0.0.1:{port}"


async def _attendance_and_report(j: Journey) -> list[list[str]]:
    """The week's attendance in one form from the plan's link, then the month's CSV."""
    await j.open("/board/plan?week=2026-03-09")
    await j.press("#unmarked a")  # the plan says attendance is not marked, and links the form
    for came in await j.page.locator("input[name^=attendance-][value=attended]").all():
        j.steps += 1
        await came.check()
    await j.press("form[action='/board/attendance'] button")
    assert await j.page.locator("#saved").count() == 1
    await j.open("/board/reports?month=2026-03")
    # The report's tables fit a 360 px phone: no table wider than the page (438 px once).
    widths = await j.page.evaluate(
        "[...document.querySelectorAll('main table')].map(t => t.scrollWidth - t.parentElement.clientWidth)"
    )
    assert widths and max(widths) <= 0 and await fits_the_screen(j.page), widths
    j.steps += 1
    async with j.page.expect_download() as download:
        await j.page.click("a[href^='/board/reports/hours.csv']")
    text = open(await (await download.value).path(), encoding="utf-8").read()
    return list(csv.reader(io.StringIO(text)))


async def _others_see_no_address(browser, api: str, other_org, ids: dict) -> None:
    """Another organisation's coordinator: this organisation's ids are not found, and the shelter's
    address is on none of her pages."""
    context = await browser.new_context(viewport=PHONE, java_script_enabled=False)
    page = await context.new_page()
    await page.goto(f"{api}/board/sign-in?token={other_org.coordinator_token}")
    for path in (ids["occurrence"], f"/board/activities/{ids['activity']}", f"/board/people/{ids['vera']}"):
        response = await page.goto(api + path)
        assert response.status == 404 and "Bröd till boendet" not in await page.content(), path
    for path in (
        "/board",
        "/board/plan?week=2026-03-09",
        "/board/plan/month?month=2026-03",
        "/board/places",
        "/board/rooms",
    ):
        await page.goto(api + path)
        assert ADDRESS not in await page.content(), path
    await context.close()


@pytest.mark.parametrize("language", ["sv", "nb"])
async def test_a_new_coordinators_first_weeks_in_the_browser(
    conn, clock, org, other_org, sms_stack, language, tmp_path
):
    with ExitStack() as stack:
        await _journey(conn, clock, org, other_org, sms_stack, language, tmp_path, stack)


async def _journey(conn, clock, org, other_org, sms_stack, language, tmp_path, stack) -> None:
    async with chromium() as browser:
        context = await browser.new_context(viewport=PHONE, java_script_enabled=False, accept_downloads=True)
        page = await context.new_page()
        j = Journey(page, sms_stack.api, language)
        await j.open(f"/board/sign-in?token={org.coordinator_token}")
        if language == "nb":
            await j.press("form[action='/language'] button[value=nb]")
        assert j.words("Gaps in the rota") in await page.inner_text("header")
        ids = await _set_up(j)
        first, _friday = await _fill_next_week(j)
        await j.open(first)
        assert ADDRESS in await j.text()  # her own coordinators see where the shelter is
        ids |= {"occurrence": first, "activity": await conn.fetchval("SELECT max(id) FROM activities")}
        await _others_see_no_address(browser, sms_stack.api, other_org, ids)
        await page.screenshot(path=str(tmp_path / f"plan-{language}.png"), full_page=True)
        assert await fits_the_screen(page)
        await _bad_input_is_marked(j, conn)
        staffed = await conn.fetch(
            "SELECT o.local_date, p.display_name FROM assignments a JOIN occurrences o ON o.id = a.occurrence_id"
            " JOIN people p ON p.id = a.person_id WHERE a.status = 'active' ORDER BY o.local_date"
        )
        assert [(str(r["local_date"]), r["display_name"]) for r in staffed][:2] == [
            ("2026-03-10", "Vera Volontär"),
            ("2026-03-13", "Vera Volontär"),
        ]
        j.api = _later_api(sms_stack, clock, days=8, stack=stack)  # Tuesday's pickup is over
        await j.open(f"/board/sign-in?token={org.coordinator_token}")  # a week idle: she signs in again
        rows = await _attendance_and_report(j)
        attended = await conn.fetchval("SELECT count(*) FROM assignments WHERE attendance = 'attended'")
        # The CSV speaks her language: no "food_pickup" in a Swedish spreadsheet.
        assert attended == 1 and ["2026-03", kind_name("food_pickup", language), "2.00", "1", "1"] in rows
        assert ["2026-03", translate(language, "Total"), "2.00", "", ""] in rows
        moved = await conn.fetchval(
            "SELECT (starts_at AT TIME ZONE 'Europe/Stockholm')::time FROM occurrences"
            " WHERE (starts_at AT TIME ZONE 'Europe/Stockholm')::date = '2026-03-18'"
        )
        assert str(moved) == "11:00:00"
        assert (
            await conn.fetchval("SELECT status FROM occurrences WHERE local_date = '2026-03-20'")
            == "cancelled"
        )
        print(f"journey ({language}): {j.steps} steps")
        assert j.steps < 120
        await context.close()
