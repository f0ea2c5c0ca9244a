"""What notices say, plain and short (the words are in the catalogue). Weekdays and dates come from
Babel (CLDR), so each language writes them its own way. Every text is kept within two segments."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_datetime

from services.sms.segments import count
from services.words import N_, Nn_, Plural, translate, translate_count

MAX_SEGMENTS = 2
# Asks with a link are rare and the link saves a phone call; in UCS-2 (Czech) they need a third.
SEGMENTS = {
    "calendar_link": 3,
    "cover_ask": 3,
    "booking_ask": 3,
    "booking_reminder": 3,
    "booking_moved": 3,
    "booking_clash": 3,
    "page_link": 3,
    "check_in_alert": 3,
    "inbox_alert": 3,
    "left_alert": 3,
    "cancelled_because": 3,
}
# Translators: a CLDR date pattern for SMS ("Mon 2/3 18:00"): short, with the weekday.
DATE_PATTERN = N_("EEE d/M HH:mm")

# Each text by its name; the words are in the catalogue. Placeholders: {what} the activity, {when} its
# date and time, {where} ", place", {code} the answer code, {link} " https://…", {who} an
# organisation, {room} a venue, {count} a number of dates, {role} a role,
# {reason} why, in the coordinator's words.
TEXTS = {
    "booking_ask": Nn_(
        "{who} would like to borrow {room} for {what}: {count} date, {when}. Reply YES {code} or NO {code}.{link}",
        "{who} would like to borrow {room} for {what}: {count} dates from {when}. Reply YES {code} for all or NO {code}.{link}",
    ),
    "booking_reminder": Nn_(
        "Reminder: {who} is waiting to hear about {room} for {what} ({count} date). Reply YES {code} or NO {code}.{link}",
        "Reminder: {who} is waiting to hear about {room} for {what} ({count} dates). Reply YES {code} or NO {code}.{link}",
    ),
    "booking_unanswered": Nn_(
        "No answer about {room} for {what}: {count} date waiting. Call the contact?",
        "No answer about {room} for {what}: {count} dates waiting. Call the contact?",
    ),
    "booking_moved": N_(
        "{what} in {room} has moved to {when}. Is that possible? Reply YES {code} or NO {code}.{link}"
    ),
    "booking_cancelled": N_(
        "{what} in {room} {when} is cancelled. The room is not needed that day. Thank you!"
    ),
    "booking_confirmed": Nn_("Thank you! {count} date confirmed.", "Thank you! {count} dates confirmed."),
    "booking_declined": Nn_(
        "Thank you for answering. {count} date declined.", "Thank you for answering. {count} dates declined."
    ),
    "booking_clash": Nn_(
        "Thank you! {count} date clashes with another booking and is waiting.{link}",
        "Thank you! {count} dates clash with other bookings and are waiting.{link}",
    ),
    "booking_nothing": N_("Every date has been answered already. Thank you!"),
    "booking_withdrawn": N_("{room} can no longer host {what} {when}. Ask for another room."),
    "gap_alert": Nn_(
        "Gap: {what} {when} is {count} person short. See the gaps in volops.",
        "Gap: {what} {when} is {count} people short. See the gaps in volops.",
    ),
    "calendar_link": N_(
        "Your shifts as a calendar: add this in your phone's calendar app and new shifts appear by themselves.{link}"
    ),
    "sign_in_code": N_(
        "Your volops code: {code}. It works for 10 minutes. If you did not ask for it, ignore this SMS."
    ),
    "cover_ask": N_("Can you take {what} {when} ({role})? Reply YES {code} or NO {code}.{link}"),
    "cover_won": N_("Thank you! The shift is yours: {what} {when}."),
    "cover_taken": N_("Thank you! The shift is already covered, you are not needed this time."),
    "cover_declined": N_("OK, thank you for answering!"),
    "reminder": N_(
        "Reminder: {what} {when}{where}. Reply YES {code} if you are coming, NO {code} if you can't."
    ),
    "moved": N_("Changed: {what} is now {when}{where}. Reply NO {code} if you can't come."),
    "assigned": N_("You have a new shift: {what} {when}{where}. Reply NO {code} if you can't come."),
    "removed": N_("You are no longer on {what} {when}. No need to come. Thank you!"),
    "cancelled": N_("Cancelled: {what} {when}. No need to come. Thank you!"),
    "cancelled_because": N_("Cancelled: {what} {when}: {reason}. No need to come. Thank you!"),
    "restored": N_(
        "On again: {what} {when}{where} takes place after all. Reply NO {code} if you can't come."
    ),
    "confirmed": N_("Thank you! See you {when}."),
    "withdrawn": N_("OK, you are off {what} {when}. Thanks for letting us know!"),
    "stop": N_("You will get no more texts from us. Reply START to get them again."),
    "start": N_("Welcome back! You will get texts from us again."),
    "help": N_("Reply YES if you are coming, NO if you can't, STOP to end texts."),
    "passed_on": N_(
        "Thank you, your coordinator will read your message. To answer a question, reply YES or NO with its code."
    ),
    "no_shift": N_("We found no upcoming shift for you. Please contact your coordinator."),
    "no_such_code": N_("We found no open question with code {code}. Reply with the code from our text."),
    "which_one": N_("Which one do you mean? Reply with its code: {what}"),
    "page_link": N_(
        "Your own volops page: your shifts, open shifts and your calendar. The link works for 30 days.{link}"
    ),
    "place_free": N_(
        "A place is free on {what} {when}. The first to take it gets it: open your volops page."
    ),
    "swap_offered": N_("You are offered a shift: {what} {when}. Take it on your volops page if you can."),
    "check_in_ask": N_("{what} is over. Reply OK {code} when you are done and safe."),
    "check_in_thanks": N_("Thank you! Good to know you are safe."),
    "check_in_alert": N_("No check-in after {what}: {who}. Please call them now."),
    "check_in_fine": N_("All fine: {who} has checked in after {what}."),
    "inbox_alert": N_('{who} texted: "{what}" Her next shift is {when}. Answer her in volops.'),
    "left_alert": N_("{who} cannot come to {what} {when}. The place is open: find cover in volops."),
    "left_undone": N_("{who} can come to {what} {when} after all. No cover needed."),
}
DROP_OFF = N_("drop-off {place}")
# Translators: the words for yes and no that a reply starts with, in capitals.
ANSWER_WORDS = (N_("YES"), N_("NO"))


def dropoff(place: str, language: str) -> str:
    return translate(language, DROP_OFF).format(place=place)


def when(moment: datetime, time_zone: str, language: str) -> str:
    return format_datetime(
        moment, translate(language, DATE_PATTERN), tzinfo=ZoneInfo(time_zone), locale=language
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
    reason: str = "",
) -> str:
    """The text, with `what` shortened (…) until it fits in two segments."""
    chosen = TEXTS[template]
    pattern = (
        translate_count(language, chosen, number)
        if isinstance(chosen, Plural)
        else translate(language, chosen)
    )
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
        "reason": reason,
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
