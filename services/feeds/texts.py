"""Feed wording in the subscriber's language (from the catalogue). Short, plain, no names but first
names."""

from __future__ import annotations

from functools import cache

from services.words import N_, translate

TEXTS = {
    "personal": N_("My shifts – {name}"),
    "organisation": N_("{organisation} – all shifts"),
    "open_shifts": N_("Open shifts – {organisation}"),
    "venue": N_("Bookings – {organisation}"),
    "role": N_("Role: {role}"),
    "with": N_("With: {names}"),
    "needs": N_("needs {n}"),
    "staffed": N_("staffed"),
    "open": N_("open: {roles}"),
    "cancelled": N_("Cancelled"),
    "participants": N_("Participants: at most {n}"),
    "pair": N_("Outreach is always done by at least two people together."),
    "dropoff": N_("Drop-off: {place}"),
}


@cache  # read for every event of every feed poll
def words(language: str) -> dict[str, str]:
    return {key: translate(language, text) for key, text in TEXTS.items()}
