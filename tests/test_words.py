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
PLACEHOLDER = re.compile(r"\{(\w*)\}|%\((\w+)\)d")


def forms(text) -> tuple[str, ...]:
    """A message's text, or each of a plural message's forms (msgid and msgid_plural; or the
    catalogue's forms: two in sv, nb and en, three in cs)."""
    return text if isinstance(text, tuple) else (text,)


def words_in_code() -> set[str]:
    """What `bash infra/words.sh extract` would find, extracted here the same way."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = DEFAULT_KEYWORDS | {"translate": (2,)}
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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("template", sorted(texts.TEXTS))
def test_every_sms_in_the_catalogue_fits_its_segments(language, template):
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
        number=12,
    )
    assert count(text).segments <= texts.SEGMENTS.get(template, texts.MAX_SEGMENTS), (language, text)
    if "{code}" in texts.TEXTS[template]:
        assert "4821" in text, (language, template, text)  # the answer code is never cut
