"""Replies understood in four languages, and the answer code found in them."""

import pytest

from services.inbox import understanding


@pytest.mark.parametrize(
    ("body", "meaning"),
    [
        ("JA", "yes"),
        ("ja!", "yes"),
        ("Ano", "yes"),
        ("yes please", "yes"),
        ("NEJ", "no"),
        ("nei", "no"),
        ("Ne", "no"),
        ("no, sorry", "no"),
        ("JA4821", "yes"),
        ("ja tack", "yes"),
        ("OK", "yes"),
        ("jaa", "yes"),
        ("kan inte", "no"),
        ("Kan ikke komme", "no"),
        ("can't make it", "no"),
        ("STOP", "stop"),
        ("Stopp", "stop"),
        ("start", "start"),
        ("HJÄLP", "help"),
        ("hjelp", "help"),
        ("pomoc", "help"),
        ("help", "help"),
        ("maybe later", "unknown"),
        ("", "unknown"),
        ("   ", "unknown"),
    ],
)
def test_replies_are_understood(body, meaning):
    assert understanding.understand(body) == meaning


@pytest.mark.parametrize(
    ("body", "code"),
    [("JA 4821", "4821"), ("ja4821", "4821"), ("NEJ, 731", "731"), ("nej", None), ("ja 0701740605", None)],
)
def test_the_code_is_found_written_apart_or_not(body, code):
    assert understanding.code_in(body) == code
