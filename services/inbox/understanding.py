"""Reading what people text us: yes, no, stop, start, help or a fresh link, in any of our
languages, and the answer code of what they answer."""

from __future__ import annotations

import re

YES = {
    "ja",
    "jaa",
    "jo",
    "japp",
    "jepp",
    "j",
    "ano",
    "a",
    "yes",
    "yep",
    "yeah",
    "y",
    "ok",
    "okej",
    "okay",
    "oki",
}
NO = {
    "nej",
    "nejj",
    "nee",
    "nei",
    "ne",
    "no",
    "nope",
    "n",
    "nix",
    "cant",
    "cannot",
    "nemůžu",
    "nemohu",
    "nemuzu",
}
# "kan inte", "kan ikke", "can't": a negated "can" is a no.
CANNOT = {("kan", "inte"), ("kan", "ej"), ("kan", "ikke"), ("can", "not"), ("can't",), ("cant",)}
STOP = {"stop", "stopp", "unsubscribe", "avsluta", "cancel", "end", "quit"}
START = {"start", "unstop"}
HELP = {"help", "hjälp", "hjalp", "hjelp", "pomoc", "info"}
LINK = {"link", "länk", "lank", "lenke", "linken", "odkaz"}  # a fresh link to her own page


_CODE = re.compile(r"(?<!\d)(\d{4}|\d{3})(?!\d)")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def code_in(body: str) -> str | None:
    """The answer code in a reply, if it has one, written apart or not ("JA 4821", "ja4821"):
    four digits for a shift or a cover request, three for a room booking ("JA 731")."""
    found = _CODE.search(body)
    return found.group(1) if found else None


def understand(body: str) -> str:
    """yes / no / stop / start / help / link / unknown, from the first word, any case, any of our languages."""
    words = [w for w in re.split(r"[\s!.,?:;]+", body.strip().casefold()) if w]
    if not words:
        return "unknown"
    if tuple(words[:2]) in CANNOT or tuple(words[:1]) in CANNOT:
        return "no"
    first = (_FIRST_WORD.match(words[0]) or [words[0]])[0]  # "ja4821" → "ja"
    vocabularies = (
        ("stop", STOP),
        ("start", START),
        ("help", HELP),
        ("link", LINK),
        ("yes", YES),
        ("no", NO),
    )
    for meaning, vocabulary in vocabularies:
        if first in vocabulary:
            return meaning
    return "unknown"


def says_more(body: str) -> bool:
    """Whether a text says more than its answer ("Ja, men jag blir sen", "Hjälp, jag är sjuk"): any
    word past the first (or past "kan inte"), other than the answer code, is for a person to read."""
    words = [w for w in re.split(r"[\s!.,?:;]+", body.strip().casefold()) if w]
    answer = 2 if tuple(words[:2]) in CANNOT else 1
    return any(not _CODE.fullmatch(w) for w in words[answer:])
