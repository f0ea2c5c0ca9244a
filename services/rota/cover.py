"""Cover requests: ask the best-ranked candidates for a gap by SMS ("Can you drive Friday 10:00?
Answer YES 4821"); the first valid yes takes the place atomically, later yeses are thanked and told
it is covered; with no taker by the deadline the next candidates are asked."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

import asyncpg
import msgspec

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


# --- what the coordinators' and volunteers' pages show ---------------------------------------


class CoverOnBoard(msgspec.Struct, frozen=True, kw_only=True):
    """A cover request as the board shows it: open beside its gap, or done."""

    id: int
    occurrence_id: int
    role_id: int
    status: str
    expires_at: datetime
    filled_at: datetime | None
    starts_at: datetime
    title: str
    time_zone: str
    role_name: str
    filled_by_name: str | None
    asked: int
    texts_wait_until: datetime | None  # asks held back by quiet hours go out then


class LatestCover(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    status: str
    expires_at: datetime
    filled_by: int | None
    created_at: datetime
    texts_wait_until: datetime | None


class Asked(msgspec.Struct, frozen=True, kw_only=True):
    """One person a cover request asked, and what she answered."""

    person_id: int
    display_name: str
    round: int
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None


class ShiftAsked(msgspec.Struct, frozen=True, kw_only=True):
    """What a volunteer's shift page shows: the request, her own ask, the occurrence and the role."""

    request_id: int
    person_id: int
    status: str
    code: str
    filled_by: int | None
    organisation_id: int
    occurrence_id: int
    answer: str | None
    starts_at: datetime
    ends_at: datetime
    occurrence_status: str
    place_id: int | None
    title: str
    dropoff_place_id: int | None
    role_name: str
    display_name: str
    language: str
    time_zone: str


async def requests_between(conn: asyncpg.Connection, access: Access, start, end) -> list[CoverOnBoard]:
    """The organisation's cover requests for shifts in the period, open or done."""
    found = await rows(
        queries.cover_requests_between(
            conn, organisation_id=access.organisation_id, starts_from=start, starts_before=end
        )
    )
    return [as_struct(CoverOnBoard)(row) for row in found]


async def latest(
    conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int, role_id: int
) -> tuple[LatestCover | None, list[Asked]]:
    """The latest request for this role, and who was asked with their answers."""
    request = await queries.latest_request(
        conn,
        organisation_id=access.organisation_id,
        occurrence_id=occurrence_id,
        role_id=role_id,
        now=clock.now(),
    )
    if request is None:
        return None, []
    asks = await rows(queries.asks_with_answers(conn, request_id=request["id"]))
    return as_struct(LatestCover)(request), [as_struct(Asked)(row) for row in asks]


async def shift_facts(conn: asyncpg.Connection, request_id: int, person_id: int) -> ShiftAsked:
    """What the shift page shows the person a request asked."""
    facts = await queries.shift_page_facts(conn, request_id=request_id, person_id=person_id)
    if facts is None:  # signed by us, but the request is gone (its occurrence was deleted)
        raise Unprocessable("This shift no longer exists.", code="occurrence-not-found")
    return as_struct(ShiftAsked)(facts)
