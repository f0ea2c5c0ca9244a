"""Feed wording in the subscriber's language. Short, plain, no names but first names."""

from __future__ import annotations

from services.places.service import HIDDEN_ADDRESS

TEXTS = {
    "sv": {
        "personal": "Mina pass – {name}",
        "organisation": "{organisation} – alla pass",
        "open_shifts": "Lediga pass – {organisation}",
        "venue": "Bokningar – {organisation}",
        "role": "Roll: {role}",
        "with": "Med: {names}",
        "needs": "behöver {n}",
        "staffed": "bemannat",
        "open": "ledigt: {roles}",
        "cancelled": "Inställt",
        "participants": "Deltagare: högst {n}",
        "pair": "Uppsökande görs alltid minst två tillsammans.",
        "dropoff": "Lämnas på: {place}",
    },
    "nb": {
        "personal": "Mine vakter – {name}",
        "organisation": "{organisation} – alle vakter",
        "open_shifts": "Ledige vakter – {organisation}",
        "venue": "Bookinger – {organisation}",
        "role": "Rolle: {role}",
        "with": "Med: {names}",
        "needs": "trenger {n}",
        "staffed": "bemannet",
        "open": "ledig: {roles}",
        "cancelled": "Avlyst",
        "participants": "Deltakere: høyst {n}",
        "pair": "Oppsøkende arbeid gjøres alltid minst to sammen.",
        "dropoff": "Leveres til: {place}",
    },
    "cs": {
        "personal": "Moje směny – {name}",
        "organisation": "{organisation} – všechny směny",
        "open_shifts": "Volné směny – {organisation}",
        "venue": "Rezervace – {organisation}",
        "role": "Role: {role}",
        "with": "S: {names}",
        "needs": "chybí {n}",
        "staffed": "obsazeno",
        "open": "volné: {roles}",
        "cancelled": "Zrušeno",
        "participants": "Účastnice: nejvýše {n}",
        "pair": "Terénní práce vždy nejméně ve dvou.",
        "dropoff": "Odvézt do: {place}",
    },
    "en": {
        "personal": "My shifts – {name}",
        "organisation": "{organisation} – all shifts",
        "open_shifts": "Open shifts – {organisation}",
        "venue": "Bookings – {organisation}",
        "role": "Role: {role}",
        "with": "With: {names}",
        "needs": "needs {n}",
        "staffed": "staffed",
        "open": "open: {roles}",
        "cancelled": "Cancelled",
        "participants": "Participants: at most {n}",
        "pair": "Outreach is always done by at least two people together.",
        "dropoff": "Drop-off: {place}",
    },
}


def words(language: str) -> dict[str, str]:
    return TEXTS.get(language, TEXTS["en"])


def hidden_address(language: str) -> str:
    return HIDDEN_ADDRESS.get(language, HIDDEN_ADDRESS["en"])
