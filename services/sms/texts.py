"""SMS wording in sv, nb, cs and en: plain and short. Weekdays and dates come from Babel (CLDR), so
each language writes them its own way. Every text is kept within two segments."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from services.sms.segments import count

MAX_SEGMENTS = 2
# Asks with a link are rare and the link saves a phone call; in UCS-2 (Czech) they need a third.
SEGMENTS = {"cover_ask": 3, "booking_ask": 3, "booking_reminder": 3, "booking_moved": 3, "booking_clash": 3}
DATE_PATTERN = {
    "sv": "EEE d/M 'kl' HH:mm",
    "nb": "EEE d/M 'kl' HH:mm",
    "cs": "EEE d. M. 'v' H:mm",
    "en": "EEE d/M HH:mm",
}

TEXTS = {
    "sv": {
        "booking_ask": "{who} vill låna {room} för {what}: {count} datum från {when}. Svara JA {code} för alla eller NEJ {code}.{link}",
        "booking_reminder": "Påminnelse: {who} väntar på svar om {room} för {what} ({count} datum). Svara JA {code} eller NEJ {code}.{link}",
        "booking_unanswered": "Inget svar om {room} för {what}: {count} datum väntar. Ring kontaktpersonen?",
        "booking_moved": "{what} i {room} är flyttat till {when}. Går det? Svara JA {code} eller NEJ {code}.{link}",
        "booking_cancelled": "{what} i {room} {when} är inställt. Lokalen behövs inte den dagen. Tack!",
        "booking_confirmed": "Tack! {count} datum bekräftade.",
        "booking_declined": "Tack för svaret. {count} datum avböjda.",
        "booking_clash": "Tack! {count} datum krockar med andra bokningar och väntar.{link}",
        "booking_nothing": "Alla datum är redan besvarade. Tack!",
        "booking_withdrawn": "{room} kan inte längre ta emot {what} {when}. Fråga efter en annan lokal.",
        "gap_alert": "Lucka: {what} {when} saknar {code} person(er). Se luckorna i volops.",
        "cover_ask": "Kan du ta {what} {when} ({role})? Svara JA {code} eller NEJ {code}.{link}",
        "cover_won": "Tack! Passet är ditt: {what} {when}.",
        "cover_taken": "Tack! Passet är redan tillsatt, du behövs inte den här gången.",
        "cover_declined": "Okej, tack för svaret!",
        "reminder": "Påminnelse: {what} {when}{where}. Svara JA {code} om du kommer, NEJ {code} om du inte kan.",
        "moved": "Ändrat: {what} är nu {when}{where}. Svara NEJ {code} om du inte kan.",
        "assigned": "Du har fått ett pass: {what} {when}{where}. Svara NEJ {code} om du inte kan.",
        "cancelled": "Inställt: {what} {when}. Du behöver inte komma. Tack!",
        "confirmed": "Tack! Vi ses {when}.",
        "withdrawn": "Okej, du är struken från {what} {when}. Tack för att du sa till!",
        "stop": "Du får inga fler sms från oss. Svara START om du vill ha dem igen.",
        "start": "Välkommen tillbaka! Du får sms från oss igen.",
        "help": "Svara JA om du kommer, NEJ om du inte kan, STOPP för att sluta få sms.",
        "no_shift": "Vi hittar inget kommande pass för dig. Hör av dig till din samordnare.",
        "no_such_code": "Vi hittar ingen öppen fråga med kod {code}. Svara med koden från vårt sms.",
        "which_one": "Vilket menar du? Svara med koden: {what}",
    },
    "nb": {
        "booking_ask": "{who} vil låne {room} til {what}: {count} datoer fra {when}. Svar JA {code} for alle eller NEI {code}.{link}",
        "booking_reminder": "Påminnelse: {who} venter på svar om {room} til {what} ({count} datoer). Svar JA {code} eller NEI {code}.{link}",
        "booking_unanswered": "Ikke svar om {room} til {what}: {count} datoer venter. Ringe kontaktpersonen?",
        "booking_moved": "{what} i {room} er flyttet til {when}. Går det? Svar JA {code} eller NEI {code}.{link}",
        "booking_cancelled": "{what} i {room} {when} er avlyst. Lokalet trengs ikke den dagen. Takk!",
        "booking_confirmed": "Takk! {count} datoer bekreftet.",
        "booking_declined": "Takk for svaret. {count} datoer avslått.",
        "booking_clash": "Takk! {count} datoer kolliderer med andre bookinger og venter.{link}",
        "booking_nothing": "Alle datoer er allerede besvart. Takk!",
        "booking_withdrawn": "{room} kan ikke lenger ta imot {what} {when}. Spør etter et annet lokale.",
        "gap_alert": "Hull: {what} {when} mangler {code} person(er). Se hullene i volops.",
        "cover_ask": "Kan du ta {what} {when} ({role})? Svar JA {code} eller NEI {code}.{link}",
        "cover_won": "Takk! Vakten er din: {what} {when}.",
        "cover_taken": "Takk! Vakten er allerede tatt, du trengs ikke denne gangen.",
        "cover_declined": "Greit, takk for svaret!",
        "reminder": "Påminnelse: {what} {when}{where}. Svar JA {code} hvis du kommer, NEI {code} hvis du ikke kan.",
        "moved": "Endret: {what} er nå {when}{where}. Svar NEI {code} hvis du ikke kan.",
        "assigned": "Du har fått en vakt: {what} {when}{where}. Svar NEI {code} hvis du ikke kan.",
        "cancelled": "Avlyst: {what} {when}. Du trenger ikke komme. Takk!",
        "confirmed": "Takk! Vi ses {when}.",
        "withdrawn": "Greit, du er strøket fra {what} {when}. Takk for at du sa fra!",
        "stop": "Du får ikke flere sms fra oss. Svar START hvis du vil ha dem igjen.",
        "start": "Velkommen tilbake! Du får sms fra oss igjen.",
        "help": "Svar JA hvis du kommer, NEI hvis du ikke kan, STOPP for å slutte å få sms.",
        "no_shift": "Vi finner ingen kommende vakt for deg. Kontakt koordinatoren din.",
        "no_such_code": "Vi finner ikke noe åpent spørsmål med kode {code}. Svar med koden fra sms-en vår.",
        "which_one": "Hvilken mener du? Svar med koden: {what}",
    },
    "cs": {
        "booking_ask": "{who} si chce půjčit {room} na {what}: {count} termínů od {when}. Odpovězte ANO {code} pro všechny nebo NE {code}.{link}",
        "booking_reminder": "Připomínka: {who} čeká na odpověď k {room} na {what} ({count} termínů). Odpovězte ANO {code} nebo NE {code}.{link}",
        "booking_unanswered": "Bez odpovědi k {room} na {what}: čeká {count} termínů. Zavolat kontaktní osobě?",
        "booking_moved": "{what} v {room} je přesunuto na {when}. Jde to? Odpovězte ANO {code} nebo NE {code}.{link}",
        "booking_cancelled": "{what} v {room} {when} je zrušeno. Místnost ten den není potřeba. Děkujeme!",
        "booking_confirmed": "Děkujeme! Potvrzeno termínů: {count}.",
        "booking_declined": "Děkujeme za odpověď. Odmítnuto termínů: {count}.",
        "booking_clash": "Děkujeme! {count} termínů koliduje s jinými rezervacemi a čeká.{link}",
        "booking_nothing": "Všechny termíny už jsou zodpovězené. Děkujeme!",
        "booking_withdrawn": "{room} už nemůže hostit {what} {when}. Požádejte o jinou místnost.",
        "gap_alert": "Chybí lidé: {what} {when}, chybí {code}. Podívejte se do volops.",
        "cover_ask": "Můžete vzít {what} {when} ({role})? Odpovězte ANO {code} nebo NE {code}.{link}",
        "cover_won": "Děkujeme! Směna je vaše: {what} {when}.",
        "cover_taken": "Děkujeme! Směna už je obsazená, tentokrát vás nepotřebujeme.",
        "cover_declined": "Dobře, díky za odpověď!",
        "reminder": "Připomínka: {what} {when}{where}. Odpovězte ANO {code}, když přijdete, NE {code}, když ne.",
        "moved": "Změna: {what} je nově {when}{where}. Odpovězte NE {code}, pokud nemůžete.",
        "assigned": "Máte novou směnu: {what} {when}{where}. Odpovězte NE {code}, pokud nemůžete.",
        "cancelled": "Zrušeno: {what} {when}. Nemusíte chodit. Děkujeme!",
        "confirmed": "Děkujeme! Uvidíme se {when}.",
        "withdrawn": "Dobře, z {what} {when} jste odhlášena. Díky za zprávu!",
        "stop": "Další SMS už nepošleme. Pro obnovení odpovězte START.",
        "start": "Vítejte zpět! SMS od nás budete znovu dostávat.",
        "help": "Odpovězte ANO, když přijdete, NE, když ne, STOP pro zrušení SMS.",
        "no_shift": "Nenašli jsme pro vás žádnou směnu. Ozvěte se koordinátorce.",
        "no_such_code": "Nenašli jsme žádný otevřený dotaz s kódem {code}. Odpovězte kódem z naší SMS.",
        "which_one": "Kterou myslíte? Odpovězte s kódem: {what}",
    },
    "en": {
        "booking_ask": "{who} would like to borrow {room} for {what}: {count} dates from {when}. Reply YES {code} for all or NO {code}.{link}",
        "booking_reminder": "Reminder: {who} is waiting to hear about {room} for {what} ({count} dates). Reply YES {code} or NO {code}.{link}",
        "booking_unanswered": "No answer about {room} for {what}: {count} dates waiting. Call the contact?",
        "booking_moved": "{what} in {room} has moved to {when}. Is that possible? Reply YES {code} or NO {code}.{link}",
        "booking_cancelled": "{what} in {room} {when} is cancelled. The room is not needed that day. Thank you!",
        "booking_confirmed": "Thank you! {count} dates confirmed.",
        "booking_declined": "Thank you for answering. {count} dates declined.",
        "booking_clash": "Thank you! {count} dates clash with other bookings and are waiting.{link}",
        "booking_nothing": "Every date has been answered already. Thank you!",
        "booking_withdrawn": "{room} can no longer host {what} {when}. Ask for another room.",
        "gap_alert": "Gap: {what} {when} is {code} person(s) short. See the gaps in volops.",
        "cover_ask": "Can you take {what} {when} ({role})? Reply YES {code} or NO {code}.{link}",
        "cover_won": "Thank you! The shift is yours: {what} {when}.",
        "cover_taken": "Thank you! The shift is already covered, you are not needed this time.",
        "cover_declined": "OK, thank you for answering!",
        "reminder": "Reminder: {what} {when}{where}. Reply YES {code} if you are coming, NO {code} if you can't.",
        "moved": "Changed: {what} is now {when}{where}. Reply NO {code} if you can't come.",
        "assigned": "You have a new shift: {what} {when}{where}. Reply NO {code} if you can't come.",
        "cancelled": "Cancelled: {what} {when}. No need to come. Thank you!",
        "confirmed": "Thank you! See you {when}.",
        "withdrawn": "OK, you are off {what} {when}. Thanks for letting us know!",
        "stop": "You will get no more texts from us. Reply START to get them again.",
        "start": "Welcome back! You will get texts from us again.",
        "help": "Reply YES if you are coming, NO if you can't, STOP to end texts.",
        "no_shift": "We found no upcoming shift for you. Please contact your coordinator.",
        "no_such_code": "We found no open question with code {code}. Reply with the code from our text.",
        "which_one": "Which one do you mean? Reply with its code: {what}",
    },
}


DROP_OFF = {
    "sv": "lämnas på {place}",
    "nb": "leveres til {place}",
    "cs": "odvézt do {place}",
    "en": "drop-off {place}",
}


def dropoff(place: str, language: str) -> str:
    return DROP_OFF.get(language, DROP_OFF["en"]).format(place=place)


def when(moment: datetime, time_zone: str, language: str) -> str:
    return format_datetime(
        moment, DATE_PATTERN.get(language, DATE_PATTERN["en"]), tzinfo=ZoneInfo(time_zone), locale=language
    )


def write(
    template: str,
    language: str,
    *,
    what: str = "",
    moment: datetime | None = None,
    time_zone: str = "UTC",
    where: str = "",
    role: str = "",
    code: str = "",
    link: str = "",
    who: str = "",
    room: str = "",
    number: int = 0,
) -> str:
    """The text, with `what` shortened (…) until it fits in two segments."""
    pattern = TEXTS.get(language, TEXTS["en"])[template]
    limit = SEGMENTS.get(template, MAX_SEGMENTS)
    fields = {
        "when": when(moment, time_zone, language) if moment else "",
        "where": f", {where}" if where else "",
        "role": role,
        "code": code,
        "link": f" {link}" if link else "",
        "who": who,
        "room": room,
        "count": str(number),
    }

    def fitted(fields: dict[str, str], shortest: int) -> str:
        shown = what
        text = pattern.format(what=shown, **fields)
        while count(text).segments > limit and len(shown) > shortest + 5:
            shown = shown[: len(shown) - 5].rstrip() + "…"
            text = pattern.format(what=shown, **fields)
        return text

    # Shorten the title a little first; then a long place name goes, then the link (the code
    # answers too); only then is the title cut hard.
    for dropped in ((), ("where",), ("where", "link")):
        text = fitted(fields | dict.fromkeys(dropped, ""), 20)
        if count(text).segments <= limit:
            return text
    return fitted(fields | {"where": "", "link": ""}, 8)


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
ANSWER_WORDS = {"sv": ("JA", "NEJ"), "nb": ("JA", "NEI"), "cs": ("ANO", "NE"), "en": ("YES", "NO")}
STOP = {"stop", "stopp", "unsubscribe", "avsluta", "cancel", "end", "quit"}
START = {"start", "unstop"}
HELP = {"help", "hjälp", "hjalp", "hjelp", "pomoc", "info"}


_CODE = re.compile(r"(?<!\d)(\d{4}|\d{3})(?!\d)")
_FIRST_WORD = re.compile(r"[^\W\d_]+")


def code_in(body: str) -> str | None:
    """The answer code in a reply, if it has one, written apart or not ("JA 4821", "ja4821"):
    four digits for a shift or a cover request, three for a room booking ("JA 731")."""
    found = _CODE.search(body)
    return found.group(1) if found else None


def understand(body: str) -> str:
    """yes / no / stop / start / help / unknown, from the first word, any case, any of our languages."""
    words = [w for w in re.split(r"[\s!.,?:;]+", body.strip().casefold()) if w]
    if not words:
        return "unknown"
    if tuple(words[:2]) in CANNOT or tuple(words[:1]) in CANNOT:
        return "no"
    first = (_FIRST_WORD.match(words[0]) or [words[0]])[0]  # "ja4821" → "ja"
    for meaning, vocabulary in (("stop", STOP), ("start", START), ("help", HELP), ("yes", YES), ("no", NO)):
        if first in vocabulary:
            return meaning
    return "unknown"
