"""Every page, rendered in Swedish, Norwegian and Czech for the organisation's coordinator and its
volunteer, shows none of the English catalogue's sentences: a word left untranslated, or written
in English in code instead of the catalogue, fails here."""

import html
import re

import pytest

from services.people import page_link
from services.words import LANGUAGES, catalogue
from tests.board.test_plan import CSRF, signed_in
from tests.test_tenant_isolation import every_route, first_organisations_things

pytestmark = pytest.mark.now("2026-03-02T10:00")
TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S)
PLACEHOLDERS = re.compile(r"\{\w*\}|%\(\w+\)[ds]")
# Pages that need a secret of their own (sign-in links, a funder's report link), walked elsewhere.
SKIPPED = ("sign-in", "sign-out", "signed-out", "/r/", "/s/", "/b/")


def english_sentences() -> set[str]:
    """The English catalogue's phrases of three words or more (each piece between placeholders on
    its own): on a Swedish, Norwegian or Czech page none may show."""
    found = set()
    for message in catalogue("en")._catalog:  # the English ids are the catalogue's keys
        english = message[0] if isinstance(message, tuple) else message
        for piece in PLACEHOLDERS.split(english):
            piece = piece.strip(" .,:;()·–-")
            if len(piece.split()) >= 3:
                found.add(piece)
    return found


# Words of English sentences that no Swedish, Norwegian or Czech sentence has: English written in
# code, outside the catalogue, shows through them.
ENGLISH_WORDS = re.compile(r"\b(the|is|are|not|with|your|you|this|that|must|cannot|should|there)\b")


def shown_text(page: str) -> str:
    return " ".join(html.unescape(TAG.sub(" ", page)).split())


async def every_page(client, settings, values, under: str) -> dict[str, str]:
    pages = {}
    for method, template in every_route(settings):
        if method != "GET" or not template.startswith(under):
            continue
        if any(part in template for part in SKIPPED) or template.endswith(".csv"):
            continue
        url = template.format(**values)
        answer = await client.get(url)
        if answer.headers.get("content-type", "").startswith("text/html"):
            pages[url] = shown_text(answer.text)
    return pages


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
async def test_no_english_shows_through_on_any_page(client, conn, clock, settings, org, language):
    values = await first_organisations_things(client, conn, clock, org)
    values |= {"name": "x", "token": "x", "link_id": 1, "session_id": 1}
    await conn.execute("UPDATE people SET language = $1", language)
    english = english_sentences()
    assert len(english) > 200  # the catalogue was read
    await signed_in(client, org)
    board = await every_page(client, settings, values, "/board")
    _id, link = await page_link.issue(conn, clock, org.id, org.volunteer_id)
    client.cookies.clear()
    await client.get("/my/sign-in", params={"token": link})
    pages = board | await every_page(client, settings, values, "/my")
    assert len(pages) > 30, sorted(pages)
    showing = {
        url: sorted(sentence for sentence in english if sentence in text) for url, text in pages.items()
    }
    for url, text in pages.items():
        showing[url] += [text[max(m.start() - 30, 0) : m.end() + 30] for m in ENGLISH_WORDS.finditer(text)]
    showing = {url: found for url, found in showing.items() if found}
    assert not showing, f"{language}: English on the page: {showing}"


# Forms refused for what a person can type, each shown again in her language.
REFUSED_FORMS = {
    "/board/people/": [
        {"display_name": "", "phone": "", "roles": "volunteer"},
        {"display_name": "Ida Prov", "phone": "12345", "roles": "volunteer", "sms_consent": "true"},
    ],
    "/board/activities/new": [
        {
            "kind": "food_pickup",
            "title": "Bröd",
            "start_date": "2026-03-10",
            "start_time": "10:00",
            "duration_minutes": "60",
            "weekdays": "TU",
            "role_name": "chaufför",
            "role_min": "3",
            "role_max": "2",
        },
        {
            "kind": "food_pickup",
            "title": "",
            "start_date": "2026-03-10",
            "start_time": "10:00",
            "duration_minutes": "60",
        },
    ],
}


@pytest.mark.parametrize("language", [lang for lang in LANGUAGES if lang != "en"])
async def test_a_refused_form_says_why_in_her_language(client, conn, org, language):
    await conn.execute("UPDATE people SET language = $1", language)
    await signed_in(client, org)
    csrf = CSRF.search((await client.get("/board")).text)[1]
    english = english_sentences()
    for url, forms in REFUSED_FORMS.items():
        for form in forms:
            answer = await client.post(url, data={"csrf": csrf, **form})
            assert answer.status_code in (400, 409, 422), (url, form, answer.status_code)
            text = shown_text(answer.text)
            found = [s for s in english if s in text]
            found += [text[max(m.start() - 40, 0) : m.end() + 40] for m in ENGLISH_WORDS.finditer(text)]
            assert not found, (language, url, form, found)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("sv", "onsdag 1 maj, 10:00 · 15 december 2030"),
        ("nb", "onsdag 1. mai, 10:00 · 15. desember 2030"),
        ("cs", "středa 1. května, 10:00 · 15. prosince 2030"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(language, expected):
    """From CLDR: Norwegian and Czech put a full stop after the day, Czech names the month in its
    genitive; never one pattern for all."""
    from datetime import UTC, date, datetime

    from services.pages.render import _day, _when

    moment = datetime(2030, 5, 1, 8, 0, tzinfo=UTC)
    assert f"{_when(moment, 'Europe/Oslo', language)} · {_day(date(2030, 12, 15), language)}" == expected
