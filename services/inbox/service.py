"""Answers by SMS. Every text that asks carries the code of what it asks about: "NEJ 4821" acts on
exactly that shift or cover request, "JA 731" on that room request. A bare JA or NEJ acts on the one
open question the person has, and lists them with their codes when there are several. Yes confirms
a shift, no withdraws from it (a gap appears for the coordinators), STOP/START switch texts off and
on, HELP explains. Replies in the person's language. Each answer is acted on by the context that
owns the question: assignments, cover requests, room bookings."""

from __future__ import annotations

from xml.sax.saxutils import escape

import asyncpg

from services import db
from services.access.service import Access
from services.assignments import service as assignments
from services.assignments.service import CodedShift
from services.bookings import answers as booking_answers
from services.checkins import service as checkins
from services.clock import Clock
from services.db import rows
from services.inbox import understanding, waiting
from services.inbox.queries import queries
from services.notices import texts
from services.people import page_link
from services.rota import cover
from services.sms import outbox
from services.words import translate

MOST_LISTED = 3  # a "which one?" reply names at most this many open questions


def twiml(message: str) -> str:
    """The reply Twilio sends back; none at all when the answer went out through the outbox."""
    inner = f"<Message>{escape(message)}</Message>" if message else ""
    return f'<?xml version="1.0" encoding="UTF-8"?><Response>{inner}</Response>'


async def answer(
    conn: asyncpg.Connection, clock: Clock, *, sid: str, from_phone: str, body: str, public_base: str
) -> str:
    now = clock.now()
    meaning = understanding.understand(body)
    people = await rows(queries.people_by_phone(conn, phone=from_phone, now=now))
    code = understanding.code_in(body)
    person = await _who_answers(conn, clock, people, code)
    language = person["language"] if person else "en"
    if person is not None:
        await db.act_as(conn, person["id"], person["organisation_id"], "sms", now)
    assignment = None
    reply = texts.write("help", language)
    if person is not None:
        if meaning == "stop":  # the phone's: everyone who shares it
            for someone in people:
                await outbox.opt_out(conn, clock, someone["id"])
            reply = texts.write("stop", language)
        elif meaning == "start":
            for someone in people:
                await outbox.opt_in(conn, someone["id"])
            reply = texts.write("start", language)
        elif meaning == "link":
            reply = await _page_link(conn, clock, person, language, public_base)
        elif meaning == "yes" and await checkins.answer(conn, clock, person["id"], code):
            reply = texts.write("check_in_thanks", language)
        elif meaning in ("yes", "no"):
            reply, assignment = await _yes_or_no(
                conn, clock, [person] if code else people, language, code, meaning == "yes", public_base
            )
    for_a_person = person is not None and (meaning == "unknown" or understanding.says_more(body))
    if person is not None and meaning == "unknown":  # not an answer: a person reads it
        reply = texts.write("passed_on", language)
    text_id = await queries.record_reply(
        conn,
        sid=sid,
        from_phone=from_phone,
        person_id=person["id"] if person else None,
        organisation_id=person["organisation_id"] if person else None,
        body=body[:1600],
        understood=meaning,
        assignment_id=assignment.id if assignment else None,
        for_a_person=for_a_person,
        now=now,
    )
    if for_a_person and text_id is not None:  # in the inbox; urgent when her shift is close
        first_name = person["display_name"].split(" ")[0]
        await waiting.tell_on_duty_if_soon(
            conn, clock, text_id, person["id"], person["organisation_id"], first_name, body
        )
    return twiml(reply)


async def _page_link(conn, clock: Clock, person: asyncpg.Record, language: str, public_base: str) -> str:
    """A fresh page link goes out as its own text (no reply then); someone without a volunteer's or
    partner's place here, or who cannot be texted, hears what the texts are for."""
    organisation_id = await queries.page_link_organisation(conn, person_id=person["id"])
    if organisation_id and await page_link.send(conn, clock, organisation_id, person["id"], public_base):
        return ""
    return texts.write("help", language)


async def _questions(conn, clock: Clock, person_id: int) -> list[asyncpg.Record]:
    return await rows(queries.open_questions(conn, person_id=person_id, now=clock.now()))


async def _who_answers(conn, clock: Clock, people: list[asyncpg.Record], code: str | None):
    """Whose answer it is. A phone may be shared (a mother and daughter): the person the code names,
    else the one whose next shift is soonest."""
    if len(people) > 1 and code is not None:
        for person in people:
            codes = {q["code"] for q in await _questions(conn, clock, person["id"])}
            if code in codes or await assignments.by_code(conn, clock, person["id"], code):
                return person
    return people[0] if people else None


async def _yes_or_no(
    conn: asyncpg.Connection,
    clock: Clock,
    people: list[asyncpg.Record],
    language: str,
    code: str | None,
    yes: bool,
    public_base: str,
) -> tuple[str, CodedShift | None]:
    """The reply, and the assignment it acted on (if it was a shift). Without a code, the one open
    question of everyone on this phone is answered; with several, they are asked which."""
    person = people[0]
    if code is None:
        asked = [(p, q) for p in people for q in await _questions(conn, clock, p["id"])]
        if not asked:
            return texts.write("no_shift", language), None
        if len(asked) > 1:
            questions = [q for _, q in asked]
            return texts.write("which_one", language, what=_listed(questions, yes, language)), None
        person, question = asked[0]
        code = question["code"]
    if len(code) == 3:
        reply = await booking_answers.answer_by_sms(
            conn, clock, person["id"], language, code, yes, public_base
        )
        return reply or texts.write("no_such_code", language, code=code), None
    reply = await cover.answer(conn, clock, person["id"], language, code, yes)
    if reply is not None:
        return reply, None
    shift = await assignments.by_code(conn, clock, person["id"], code)
    if shift is None:
        return texts.write("no_such_code", language, code=code), None
    return await _answer_shift(conn, clock, shift, person, yes), shift


def _listed(questions: list[asyncpg.Record], yes: bool, language: str) -> str:
    word = translate(language, texts.ANSWER_WORDS[0 if yes else 1])
    return "; ".join(
        f"{word} {q['code']} {q['title']} {texts.when(q['starts_at'], q['time_zone'], language)}"
        for q in sorted(questions, key=lambda q: q["starts_at"])[:MOST_LISTED]
    )


async def _answer_shift(
    conn: asyncpg.Connection, clock: Clock, shift: CodedShift, person: asyncpg.Record, yes: bool
) -> str:
    language = person["language"]
    if yes:
        await assignments.confirm(conn, clock, shift.id)
        return texts.write("confirmed", language, moment=shift.starts_at, time_zone=shift.time_zone)
    # The same withdrawal as on the API: late after the cut-off, reminders cancelled, a gap appears.
    herself = Access.without_token(person["id"], shift.organisation_id, "volunteer", language)
    await assignments.end(conn, clock, herself, shift.id)
    return texts.write(
        "withdrawn", language, what=shift.title, moment=shift.starts_at, time_zone=shift.time_zone
    )
