"""Every word a person reads is in the catalogues, translated in all four languages, with the same
placeholders, and every SMS as the catalogue writes it fits its segments."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from services.notices import texts
from services.sms.segments import count
from services.words import LANGUAGES, LOCALE_DIR, translate

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)[ds]")


def forms(text) -> tuple[str, ...]:
    """A message's text, or each of a plural message's forms (msgid and msgid_plural; or the
    catalogue's forms: two in sv, nb and en, three in cs)."""
    return text if isinstance(text, tuple) else (text,)


def words_in_code() -> set[str]:
    """What `bash infra/words.sh extract` would find, extracted here the same way."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = DEFAULT_KEYWORDS | {"translate": (2,), "Nn_": (1, 2)}
    return {found[2] for found in extract_from_dir(ROOT, method_map, options_map, keywords=keywords)}


def catalogue(language: str):
    with (LOCALE_DIR / language / "LC_MESSAGES" / "volops.po").open("rb") as file:
        return read_po(file)


@pytest.fixture(scope="module")
def in_code() -> set[str]:
    return words_in_code()


def test_the_code_has_words_to_translate(in_code):
    # Guards the tests below: the extraction finds words of templates, SMS, feeds and problems.
    assert {
        "Gaps in the rota",
        texts.TEXTS["cover_won"],
        "Role: {role}",
        "This link has expired.",
        "address from your coordinator",
    } <= in_code


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_word_is_translated(language, in_code):
    po = catalogue(language)
    translated = {m.id: m for m in po if m.id}
    missing = sorted(in_code - translated.keys())
    assert not missing, f"{language}: not in the catalogue (run `bash infra/words.sh extract`): {missing}"
    empty = sorted(
        forms(m)[0] for m in in_code if not all(forms(translated[m].string)) or translated[m].fuzzy
    )
    assert not empty, f"{language}: no translation yet: {empty}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_their_placeholders(language):
    for message in catalogue(language):
        if message.id and all(forms(message.string)):
            wanted = sorted(PLACEHOLDER.findall(forms(message.id)[-1]))
            for form in forms(message.string):
                assert sorted(PLACEHOLDER.findall(form)) == wanted, (language, message.id, form)


def test_a_language_reads_its_own_words():
    assert translate("sv", "Gaps in the rota") == "Luckor i schemat"
    assert translate("cs", "Sign in") == "Přihlásit se"
    assert translate("xx", "Sign in") == "Sign in"  # any other language reads English


LONG_TITLE = "Matkasseutdelning och sortering av donerade varor i församlingshemmet"
LONG_PLACE = "Sankt Johannes församlingshem, stora salen på baksidan"
LINK = "https://volops.example.org/s/1ekz-2n9c-t7xq0w-Zm9vYmFy-mF6cXV4"


@pytest.mark.parametrize("number", [1, 12])
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(texts.TEXTS))
def test_every_sms_in_the_catalogue_fits_its_segments(language, template, number):
    text = texts.write(
        template,
        language,
        what=LONG_TITLE,
        moment=datetime(2026, 11, 24, 9, 0, tzinfo=UTC),
        time_zone="Europe/Stockholm",
        where=LONG_PLACE,
        role="samordnare för kvällen",
        code="4821",
        link=LINK,
        who="Malmö Shelter & Outreach",
        room="Församlingssalen",
        number=number,
    )
    assert count(text).segments <= texts.SEGMENTS.get(template, texts.MAX_SEGMENTS), (language, text)
    if any("{code}" in form for form in forms(texts.TEXTS[template])):
        assert "4821" in text, (language, template, text)  # the answer code is never cut


# A number beside a noun needs the catalogue's plural forms: one text for every number read
# "1 tilldelningar gjorda" and "za 4 dní" (Czech has three forms). Where the number stands after a
# colon, in brackets or before a unit, one text reads right for any number.
COUNT = re.compile(r"\{(n|count|num|d|days|hours|weeks|people|missing|made|done)\}|%\(num\)d")
ONE_TEXT_FOR_ANY_NUMBER = {
    "All open shifts ({n} more)",
    "Cannot ({n})",
    "Hours attended in all: {hours}",
    "No longer a volunteer here. Shifts freed: {count}; they are gaps now.",
    "Participants: at most {n}",
    "Room dates waiting for your answer: {n}",
    "Room for {n}",
    "needs {n}",
    "{n} h",
    "{n} min",
}


def test_a_number_beside_a_noun_has_its_plural_forms(in_code):
    single = sorted(m for m in in_code if isinstance(m, str) and COUNT.search(m))
    assert ONE_TEXT_FOR_ANY_NUMBER <= set(single), "a text listed as plural-free is gone: take it off"
    wanting = [m for m in single if m not in ONE_TEXT_FOR_ANY_NUMBER]
    assert not wanting, f"use ngettext (templates) or Nn_ (code) for: {wanting}"


@pytest.mark.parametrize(
    ("language", "number", "expected"),
    [
        ("sv", 1, "1 datum utan lokal"),
        ("nb", 1, "1 dato uten lokale"),
        ("cs", 1, "1 termín bez místnosti"),
        ("cs", 3, "3 termíny bez místnosti"),
        ("cs", 5, "5 termínů bez místnosti"),
    ],
)
def test_each_language_has_its_plural_forms(language, number, expected):
    from services.words import catalogue as compiled

    one, many = "%(num)d date without a room", "%(num)d dates without a room"
    assert compiled(language).ngettext(one, many, number) % {"num": number} == expected
