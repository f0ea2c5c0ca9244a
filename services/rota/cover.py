"""Cover requests: ask the best-ranked candidates for a gap by SMS ("Can you drive Friday 10:00?
Answer YES 4821"); the first valid yes takes the place atomically, later yeses are thanked and told
it is covered; with no taker by the deadline the next candidates are asked."""

from __future__ import annotations

import secrets
from datetime import timedelta

import asyncpg

from schemas.rota import CoverRequest
from services.access import links
from services.access.service import Access
from services.assignments import service as assignments
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import service as notices
from services.notices import texts
from services.occurrences import service as occurrences
from services.problems import Conflict, ProblemError, Unprocessable, refusals
from services.rota import service as rota
from services.rota.queries import queries
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "request-open": N_("People are already being asked for this role."),
        "no-candidates": N_("Nobody who could take the shift can be reached by SMS."),
    }
)


async def _view(conn: asyncpg.Connection, clock: Clock, request: asyncpg.Record) -> CoverRequest:
    asked = [r["person_id"] for r in await rows(queries.asked(conn, request_id=request["id"]))]
    go_out = await _texts_go_out(conn, clock, request["id"])
    return as_struct(CoverRequest)(
        request,
        role_id=request["activity_role_id"],
        texts_wait_until=go_out if go_out > clock.now() else None,
        asked=asked,
    )


async def _text(
    conn,
    clock,
    person_id: int,
    key: str,
    template: str,
    occurrence,
    role_name: str,
    code: str,
    organisation_id: int,
    link: str = "",
) -> None:
    await notices.tell(
        conn,
        clock,
        person_id,
        key=key,
        template=template,
        organisation_id=organisation_id,
        before=occurrence.starts_at,
        what=occurrence.title,
        moment=occurrence.starts_at,
        role=role_name,
        code=code,
        link=link,
    )


SHIFT_LINK = "shift"  # what a volunteer's link from a cover request opens: /s/<signed ids>


async def shift_link(
    conn: asyncpg.Connection, public_base: str, request_id: int, person_id: int, until
) -> str:
    """The signed page where one asked person takes the shift or says no, valid until it starts."""
    return f"{public_base}/s/{await links.sign(conn, SHIFT_LINK, (request_id, person_id), until)}"


async def _texts_go_out(conn: asyncpg.Connection, clock: Clock, request_id: int):
    return await notices.leave_at(conn, clock, f"cover:{request_id}:")


async def _ask_next(conn, clock, access: Access, request, round_: int, public_base: str) -> list[int]:
    """Text the next best candidates who can be reached and were not asked yet; their time to
    answer counts from when the texts actually go out (after quiet hours, when asked at night)."""
    already = {r["person_id"] for r in await rows(queries.asked(conn, request_id=request["id"]))}
    ranked = (
        await rota.candidates(conn, clock, access, request["occurrence_id"], request["activity_role_id"])
    ).ranked
    chosen = [c for c in ranked if c.reachable_by_sms and c.person_id not in already][: request["batch_size"]]
    occurrence = await occurrences.occurrence_for(conn, access, request["occurrence_id"])
    role = await queries.role_name(conn, request_id=request["id"])
    for candidate in chosen:
        await queries.add_ask(
            conn, request_id=request["id"], person_id=candidate.person_id, round=round_, now=clock.now()
        )
        await _text(
            conn,
            clock,
            candidate.person_id,
            f"cover:{request['id']}:{candidate.person_id}",
            "cover_ask",
            occurrence,
            role,
            request["code"],
            request["organisation_id"],
            await shift_link(conn, public_base, request["id"], candidate.person_id, occurrence.starts_at),
        )
    if chosen:
        go_out = await _texts_go_out(conn, clock, request["id"])
        await queries.extend_request(conn, id=request["id"], expires_at=go_out + request["answer_within"])
    return [c.person_id for c in chosen]


async def ask(
    conn: asyncpg.Connection,
    clock: Clock,
    access: Access,
    occurrence_id: int,
    role_id: int,
    people: int,
    answer_within: timedelta,
    public_base: str,
) -> CoverRequest:
    access.require_coordinator("ask people to cover a shift")
    occurrence = await occurrences.occurrence_for(conn, access, occurrence_id)
    if occurrence.starts_at <= clock.now():
        raise Conflict("The occurrence has begun; it is too late to ask.", code="occurrence-over")
    async with conn.transaction():
        try:
            request = await queries.open_request(
                conn,
                occurrence_id=occurrence_id,
                role_id=role_id,
                organisation_id=access.organisation_id,
                code=f"{secrets.randbelow(9000) + 1000}",
                batch_size=people,
                answer_within=answer_within,
                expires_at=clock.now() + answer_within,
                created_by=access.person_id,
                now=clock.now(),
            )
        except asyncpg.UniqueViolationError:
            raise Conflict(
                "People are already being asked to cover this role.", code="request-open"
            ) from None
        if not await _ask_next(conn, clock, access, request, 1, public_base):
            raise Unprocessable("Nobody who could take this role can be asked by SMS.", code="no-candidates")
    return await _view(conn, clock, await queries.get_request(conn, id=request["id"]))


async def answer(
    conn: asyncpg.Connection, clock: Clock, person_id: int, language: str, code: str, yes: bool
) -> str | None:
    """A reply with a request's code. Returns the reply text, or None if no request has that code."""
    request = await queries.ask_for_answer(conn, person_id=person_id, code=code)
    if request is None:
        return None
    now = clock.now()
    if not yes:
        await queries.record_answer(conn, request_id=request["id"], person_id=person_id, answer="no", now=now)
        return texts.write("cover_declined", language)
    claimed = await queries.claim_request(conn, id=request["id"], person_id=person_id, now=now)
    if claimed is None:
        await queries.record_answer(
            conn, request_id=request["id"], person_id=person_id, answer="too_late", now=now
        )
        # The reply tells them now; the "already covered" text still waiting for them would be a second one.
        await notices.cancel(conn, clock, f"cover-filled:{request['id']}:{person_id}")
        return texts.write("cover_taken", language)
    coordinator = Access.without_token(
        request["created_by"], request["organisation_id"], "coordinator", language
    )
    try:
        async with conn.transaction():
            assignment = await assignments.assign(
                conn, clock, coordinator, request["occurrence_id"], request["activity_role_id"], person_id
            )
    except ProblemError:
        # Something changed since they were asked (e.g. they took another shift): keep asking.
        await queries.reopen_request(conn, id=request["id"])
        return texts.write("cover_taken", language)
    await queries.set_request_assignment(conn, id=request["id"], assignment_id=assignment.id)
    await queries.record_answer(conn, request_id=request["id"], person_id=person_id, answer="yes", now=now)
    occurrence = await occurrences.get(conn, request["occurrence_id"])
    for other in await rows(queries.waiting_askees(conn, request_id=request["id"])):
        await _text(
            conn,
            clock,
            other["person_id"],
            f"cover-filled:{request['id']}:{other['person_id']}",
            "cover_taken",
            occurrence,
            "",
            request["code"],
            request["organisation_id"],
        )
    return texts.write(
        "cover_won",
        language,
        what=occurrence.title,
        moment=occurrence.starts_at,
        time_zone=occurrence.time_zone,
    )


async def continue_expired(conn: asyncpg.Connection, clock: Clock, public_base: str) -> int:
    """Requests nobody took in time: ask the next candidates, or close them when nobody is left."""
    handled = 0
    async with conn.transaction():
        for request in await rows(queries.expired_requests(conn, now=clock.now())):
            access = Access.without_token(request["created_by"], request["organisation_id"], "coordinator")
            rounds = max(
                [r["round"] for r in await rows(queries.asked(conn, request_id=request["id"]))] or [0]
            )
            if not await _ask_next(conn, clock, access, request, rounds + 1, public_base):
                await queries.close_request(conn, id=request["id"], status="expired")
            handled += 1
    return handled
