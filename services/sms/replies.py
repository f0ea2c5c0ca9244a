"""Answers by SMS: yes confirms the next shift, no withdraws from it (a gap appears for the
coordinators), STOP/START switch texts off and on, HELP explains. Replies in the person's language."""

from __future__ import annotations

from datetime import timedelta
from xml.sax.saxutils import escape

import asyncpg

from services.bookings import service as bookings
from services.clock import Clock
from services.db import rows
from services.rota import cover
from services.sms import reminders, texts
from services.sms.queries import queries

NEXT_SHIFT_WITHIN = timedelta(days=8)


def twiml(message: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?><Response><Message>{escape(message)}</Message></Response>'


async def answer(
    conn: asyncpg.Connection, clock: Clock, *, sid: str, from_phone: str, body: str, public_base: str
) -> str:
    now = clock.now()
    meaning = texts.understand(body)
    people = await rows(queries.people_by_phone(conn, phone=from_phone, now=now))
    person = people[0] if people else None
    language = person["language"] if person else "en"
    assignment = None
    reply = texts.write("help", language)
    if person is not None:
        if meaning == "stop":
            await queries.set_consent(conn, person_id=person["id"], consent=False, now=now)
            await queries.cancel_pending_for_person(conn, person_id=person["id"], now=now)
            reply = texts.write("stop", language)
        elif meaning == "start":
            await queries.set_consent(conn, person_id=person["id"], consent=True, now=now)
            reply = texts.write("start", language)
        elif meaning in ("yes", "no") and (code := texts.code_in(body)) is not None:
            reply = await cover.answer(conn, clock, person["id"], language, code, meaning == "yes")
            reply = reply or texts.write("help", language)
        elif meaning in ("yes", "no") and (code := texts.code_in(body, digits=3)) is not None:
            reply = await bookings.answer_by_sms(
                conn, clock, person["id"], language, code, meaning == "yes", public_base
            )
            reply = reply or texts.write("help", language)
        elif meaning in ("yes", "no"):
            assignment = await queries.next_assignment(
                conn, person_id=person["id"], now=now, until=now + NEXT_SHIFT_WITHIN
            )
            if assignment is None:
                reply = texts.write("no_shift", language)
            elif meaning == "yes":
                await queries.confirm(conn, assignment_id=assignment["id"], now=now)
                reply = texts.write(
                    "confirmed", language, moment=assignment["starts_at"], time_zone=assignment["time_zone"]
                )
            else:
                late = now > assignment["starts_at"] - timedelta(hours=assignment["withdrawal_cutoff_hours"])
                await queries.withdraw(conn, assignment_id=assignment["id"], late=late, now=now)
                await reminders.plan_for_assignment(conn, clock, assignment["id"])  # cancels its reminders
                reply = texts.write(
                    "withdrawn",
                    language,
                    what=assignment["title"],
                    moment=assignment["starts_at"],
                    time_zone=assignment["time_zone"],
                )
    await queries.record_reply(
        conn,
        sid=sid,
        from_phone=from_phone,
        person_id=person["id"] if person else None,
        body=body[:1600],
        understood=meaning,
        assignment_id=assignment["id"] if assignment else None,
        now=now,
    )
    return twiml(reply)
