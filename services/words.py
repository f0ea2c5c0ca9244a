"""Every word a person reads, in their language, from the gettext catalogues (Babel).

The English text is the message id, written where it is used: `_("…")` in templates,
`translate(language, "…")` in code, `N_("…")` where a text is chosen later (an SMS template, a
problem code's words). Translators work on `services/locale/<language>/LC_MESSAGES/volops.po`
(Poedit, Weblate); `infra/words.sh` runs `pybabel extract/update/compile` (mapping in babel.cfg); set-up compiles
the `.mo` files that are read here. Placeholders are written `{name}`; a translation keeps them.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path
from typing import NamedTuple, get_args

from schemas.common import Language

LANGUAGES: tuple[str, ...] = get_args(Language)  # the one list: sv, nb, cs, en
# Each language as its readers name it (the language switch and the language fields).
LANGUAGE_NAMES = {"sv": "Svenska", "nb": "Norsk", "cs": "Čeština", "en": "English"}
DOMAIN = "volops"
LOCALE_DIR = Path(__file__).parent / "locale"


class CatalogueMissing(RuntimeError):
    pass


@cache
def catalogue(language: str) -> gettext.GNUTranslations:
    """The compiled catalogue of one of our languages (English for any other)."""
    chosen = language if language in LANGUAGES else "en"
    compiled = LOCALE_DIR / chosen / "LC_MESSAGES" / f"{DOMAIN}.mo"
    source = compiled.with_suffix(".po")
    if not compiled.exists() or compiled.stat().st_mtime < source.stat().st_mtime:
        raise CatalogueMissing(
            f"{compiled} is missing or older than its .po: run `bash infra/setup.sh` "
            f"(it runs `pybabel compile -d {LOCALE_DIR} -D {DOMAIN}`)."
        )
    with compiled.open("rb") as file:
        return gettext.GNUTranslations(file)


def translate(language: str, message: str) -> str:
    return catalogue(language).gettext(message)


def N_(message: str) -> str:  # noqa: N802 (gettext's name for "translated later")
    """Marks a text for the catalogue where it is chosen now and translated when used."""
    return message


class Plural(NamedTuple):
    """A text with a number in it, in its two English forms; each language has its own forms."""

    one: str
    many: str


def Nn_(one: str, many: str) -> Plural:  # noqa: N802 (as N_, with a plural)
    """Marks a text with a number for the catalogue, translated when used with its number."""
    return Plural(one, many)


def translate_count(language: str, message: Plural, number: int) -> str:
    """The form of the text that fits `number` in this language (Czech has three)."""
    return catalogue(language).ngettext(message.one, message.many, number)
