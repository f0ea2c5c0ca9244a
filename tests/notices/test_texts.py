"""What notices say: segments counted as Twilio does, every demo reminder within two segments in
every language."""

from datetime import UTC, datetime

import pytest

from infra.demo_schedule import ACTIVITIES, PLACES
from services.notices import texts
from services.sms.segments import count


def test_segments_follow_twilio():
    assert count("Hej! Påminnelse: bröd tis 10:00, Bageriet. Å Ä Ö æ ø").encoding == "GSM-7"
    assert (
        count("a" * 160).segments == 1 and count("a" * 161).segments == 2 and count("a" * 306).segments == 2
    )
    assert count("a" * 307).segments == 3
    assert count("€" * 80).units == 160 and count("€" * 81).segments == 2  # extension characters count twice
    czech = count("Připomínka: směna")
    assert czech.encoding == "UCS-2"
    assert count("ř" * 70).segments == 1 and count("ř" * 71).segments == 2 and count("ř" * 134).segments == 2
    assert count("ř" * 135).segments == 3


@pytest.mark.parametrize("language", ["sv", "nb", "cs", "en"])
def test_every_demo_reminder_fits_two_segments(language):
    places = [p.name for drafts in PLACES.values() for p in drafts] + [""]
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for _slug, title, *_rest in ACTIVITIES:
        for place in places:
            for template in ("reminder", "moved", "cancelled", "withdrawn", "assigned"):
                text = texts.write(
                    template,
                    language,
                    what=title,
                    moment=moment,
                    time_zone="Europe/Stockholm",
                    where=place,
                    code="4821",
                )
                assert count(text).segments <= 2, (language, template, title, place, text)
                if template in ("reminder", "moved", "assigned"):  # they ask: the code says about what
                    assert "4821" in text, (language, template, text)


@pytest.mark.parametrize("language", ["sv", "nb", "cs", "en"])
def test_every_demo_cover_request_keeps_its_link_in_three_segments(language):
    link = "https://volops.example.org/s/1ekz-2n9c-t7xq0w-Zm9vYmFy-mF6cXV4"
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    for _slug, title, *_rest in ACTIVITIES:
        text = texts.write(
            "cover_ask",
            language,
            what=title,
            moment=moment,
            time_zone="Europe/Prague",
            role="řidička",
            code="4821",
            link=link,
        )
        assert count(text).segments <= 3 and text.endswith(link) and "4821" in text, (language, text)


def test_reminder_says_what_when_where_and_how_to_answer():
    moment = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
    sv = texts.write(
        "reminder",
        "sv",
        what="Brödhämtning",
        moment=moment,
        time_zone="Europe/Stockholm",
        where="Bageriet",
        code="4821",
    )
    assert sv == (
        "Påminnelse: Brödhämtning tis 24/11 kl 10:00, Bageriet. Svara JA 4821 om du kommer,"
        " NEJ 4821 om du inte kan."
    )
    cs = texts.write("reminder", "cs", what="Skupina", moment=moment, time_zone="Europe/Prague")
    assert "út 24. 11. v 10:00" in cs and "ANO" in cs and count(cs).encoding == "UCS-2"
    nb = texts.write("reminder", "nb", what="Sygruppe", moment=moment, time_zone="Europe/Oslo")
    assert "tir. 24/11 kl 10:00" in nb and "NEI" in nb


def test_long_titles_are_shortened_not_split():
    text = texts.write(
        "reminder",
        "cs",
        what="Velmi dlouhý název činnosti " * 6,
        moment=datetime(2026, 1, 1, tzinfo=UTC),
        time_zone="Europe/Prague",
    )
    assert count(text).segments <= 2 and "…" in text
