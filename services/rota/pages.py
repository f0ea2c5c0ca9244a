"""The rota's pages: the coordinators' gap board and the volunteers' shift page.

They call the same rules as the API routes (gaps, candidates, cover requests, auto-fill) and only
turn forms into calls and results into HTML. Each POST answers with a redirect to a page that
shows the new state, so a reload never sends a form twice.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from typing import Annotated
from zoneinfo import ZoneInfo

import asyncpg
import msgspec
from litestar import Request, Response, Router, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect

from schemas.rota import Proposal
from services.access.service import Access
from services.bookings import service as bookings
from services.db import rows
from services.http import ClockDep, Conn, PathId
from services.occurrences import service as occurrences
from services.organisations.queries import queries as organisation_queries
from services.places import service as places
from services.places.queries import queries as place_queries
from services.problems import Unprocessable
from services.qualifications import service as qualifications
from services.rota import autofill, cover, service
from services.rota.queries import queries
from services.rota.words import WORDS
from services.web import pages
from services.web.session import (
    BoardAccess,
    board_page,
    board_router,
    require_form_token,
    sign_in,
    sign_in_page,
    sign_out,
)

DAY_CHOICES = (3, 7, 14, 28)
ANSWER_CHOICES = (30, 60, 180, 720)  # minutes


async def _board_page(request: Request, conn, access: Access, template: str, **context) -> Response[str]:
    return await board_page(request, conn, access, template, WORDS, **context)


# --- the gap board --------------------------------------------------------------------------


@get("/board")
async def board(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, days: FromQuery[int] = 14
) -> Response[str]:
    days = days if days in DAY_CHOICES else 14
    now = clock.now()
    end = now + timedelta(days=days)
    gaps = await service.gaps(conn, clock, board_access, now, end)
    requests = await rows(
        queries.cover_requests_between(
            conn, organisation_id=board_access.organisation_id, starts_from=now, starts_before=end
        )
    )
    open_requests = {(r["occurrence_id"], r["role_id"]): r for r in requests if r["status"] == "open"}
    return await _board_page(
        request,
        conn,
        board_access,
        "board.html",
        gaps=gaps,
        days=days,
        day_choices=DAY_CHOICES,
        open_requests=open_requests,
        # one "find cover" button per role that a reason names
        roles_to_fill={
            g.occurrence_id: list(dict.fromkeys((r.role_id, r.role_name) for r in g.reasons)) for g in gaps
        },
        filled=[r for r in requests if r["status"] == "filled"],
        rooms_missing=len(await bookings.room_problems(conn, board_access, now, end)),
    )


@get("/board/occurrences/{occurrence_id:int}/roles/{role_id:int}")
async def gap_candidates(
    request: Request,
    conn: Conn,
    clock: ClockDep,
    board_access: BoardAccess,
    occurrence_id: PathId,
    role_id: PathId,
    asked: FromQuery[int | None] = None,
) -> Response[str]:
    found = await service.candidates(conn, clock, board_access, occurrence_id, role_id)
    occurrence = await occurrences.occurrence_for(conn, board_access, occurrence_id)
    latest = await queries.latest_request(
        conn,
        organisation_id=board_access.organisation_id,
        occurrence_id=occurrence_id,
        role_id=role_id,
        now=clock.now(),
    )
    role = next(r for r in await rows(queries.role_labels(conn, ids=[role_id])))
    asks = await rows(queries.asks_with_answers(conn, request_id=latest["id"])) if latest else []
    return await _board_page(
        request,
        conn,
        board_access,
        "candidates.html",
        occurrence=occurrence,
        role=role,
        candidates=found,
        cover_request=latest,
        asks=asks,
        filled_by=next(
            (a["display_name"] for a in asks if latest and a["person_id"] == latest["filled_by"]), ""
        ),
        asked=asked,
        answer_choices=ANSWER_CHOICES,
    )


class AskForm(msgspec.Struct):
    people: Annotated[int, msgspec.Meta(ge=1, le=50)] = 3
    answer_within_minutes: Annotated[int, msgspec.Meta(ge=5, le=10080)] = 180


@post("/board/occurrences/{occurrence_id:int}/roles/{role_id:int}/ask")
async def ask_by_sms(
    request: Request,
    conn: Conn,
    clock: ClockDep,
    board_access: BoardAccess,
    occurrence_id: PathId,
    role_id: PathId,
) -> Response:
    await require_form_token(request, conn)
    form = pages.form_as(await request.form(), AskForm)
    made = await cover.ask(
        conn,
        clock,
        board_access,
        occurrence_id,
        role_id,
        form.people,
        timedelta(minutes=form.answer_within_minutes),
        request.app.state.settings.public_base,
    )
    return Redirect(
        f"/board/occurrences/{occurrence_id}/roles/{role_id}?asked={len(made.asked)}", status_code=303
    )


# --- auto-fill ------------------------------------------------------------------------------


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone))


@get("/board/autofill")
async def autofill_form(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
) -> Response[str]:
    organisation = await organisation_queries.get_organisation(conn, id=board_access.organisation_id)
    tomorrow = clock.now().astimezone(ZoneInfo(organisation["time_zone"])).date() + timedelta(days=1)
    return await _board_page(
        request,
        conn,
        board_access,
        "autofill.html",
        start=tomorrow,
        end=tomorrow + timedelta(days=30),
        preview=None,
    )


class PeriodForm(msgspec.Struct):
    start: date
    end: date


async def _labels(conn, access: Access, proposals, unfilled) -> dict:
    occurrence_ids = list({p.occurrence_id for p in [*proposals, *unfilled]})
    role_ids = list({p.role_id for p in [*proposals, *unfilled]})
    person_ids = list({p.person_id for p in proposals})
    return {
        "occurrences": {r["id"]: r for r in await rows(queries.occurrence_labels(conn, ids=occurrence_ids))},
        "roles": {r["id"]: r["name"] for r in await rows(queries.role_labels(conn, ids=role_ids))},
        "people": {
            r["id"]: r["display_name"]
            for r in await rows(
                queries.people_names(conn, organisation_id=access.organisation_id, ids=person_ids)
            )
        },
    }


@post("/board/autofill")
async def autofill_preview(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
) -> Response[str]:
    await require_form_token(request, conn)
    form = pages.form_as(await request.form(), PeriodForm)
    organisation = await organisation_queries.get_organisation(conn, id=board_access.organisation_id)
    zone = organisation["time_zone"]
    found = await autofill.preview(
        conn,
        clock,
        board_access,
        _local_midnight(form.start, zone),
        _local_midnight(form.end + timedelta(days=1), zone),  # "up to and including"
    )
    by_occurrence = defaultdict(list)
    for proposal in found.proposals:
        by_occurrence[proposal.occurrence_id].append(proposal)
    return await _board_page(
        request,
        conn,
        board_access,
        "autofill.html",
        start=form.start,
        end=form.end,
        preview=found,
        by_occurrence=by_occurrence,
        labels=await _labels(conn, board_access, found.proposals, found.unfilled),
    )


@post("/board/autofill/apply")
async def autofill_apply(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess
) -> Response[str]:
    await require_form_token(request, conn)
    chosen = []
    for value in (await request.form()).getall("proposal"):
        try:
            occurrence_id, role_id, person_id = (int(part) for part in str(value).split("-"))
        except ValueError:
            raise Unprocessable(f"Not a proposal: {value!r}.", code="bad-form") from None
        chosen.append(Proposal(occurrence_id, role_id, person_id))
    done = await autofill.apply(conn, clock, board_access, chosen)
    refused = [proposal for proposal, _why in done.refused]
    return await _board_page(
        request,
        conn,
        board_access,
        "autofill_applied.html",
        applied=done.applied,
        refused=done.refused,
        labels=await _labels(conn, board_access, [*done.applied, *refused], []),
    )


# --- a volunteer's shift page (from the link in a cover request's SMS) ----------------------


async def _shift(request: Request, conn, clock, token: str):
    request_id, person_id = await pages.open_personal_link(
        request, conn, cover.SHIFT_LINK, token, clock.now()
    )
    facts = await queries.shift_page_facts(conn, request_id=request_id, person_id=person_id)
    if facts is None:  # signed by us, but the request is gone (its occurrence was deleted)
        raise Unprocessable("This shift no longer exists.", code="occurrence-not-found")
    return facts


async def _shown_place(conn: asyncpg.Connection, place_id: int | None, viewer: Access):
    """The place as this person may see it (a protected address reads "from your coordinator")."""
    row = await place_queries.get_place(conn, id=place_id) if place_id is not None else None
    return places.show(row, viewer) if row else None


@get("/s/{token:str}")
async def shift_page(request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response[str]:
    facts = await _shift(request, conn, clock, token)
    language = facts["language"]
    pages.remember_language(request, language)
    viewer = Access.without_token(facts["person_id"], facts["organisation_id"], "volunteer", language)
    place = await _shown_place(conn, facts["place_id"], viewer)
    dropoff = await _shown_place(conn, facts["dropoff_place_id"], viewer)  # a driver's drop-off
    if facts["occurrence_status"] == "cancelled":
        state = "cancelled"
    elif facts["status"] == "filled":
        state = "yours" if facts["filled_by"] == facts["person_id"] else "covered"
    elif facts["answer"] == "no":
        state = "declined"
    elif facts["status"] == "open" and facts["answer"] is None:
        state = "ask"
    else:
        state = "closed"
    return pages.page(
        "shift.html",
        language,
        WORDS,
        facts=facts,
        place=place,
        dropoff=dropoff,
        state=state,
        token=token,
    )


async def _answer(request: Request, conn, clock, token: str, yes: bool) -> Response:
    facts = await _shift(request, conn, clock, token)
    async with conn.transaction():
        await cover.answer(conn, clock, facts["person_id"], facts["language"], facts["code"], yes)
    return Redirect(f"/s/{token}", status_code=303)


@post("/s/{token:str}/take")
async def take_shift(request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response:
    return await _answer(request, conn, clock, token, True)


@post("/s/{token:str}/no")
async def say_no(request: Request, conn: Conn, clock: ClockDep, token: FromPath[str]) -> Response:
    return await _answer(request, conn, clock, token, False)


@get("/board/qualifications")
async def expiring_qualifications(
    request: Request, conn: Conn, clock: ClockDep, board_access: BoardAccess, days: FromQuery[int] = 30
) -> Response[str]:
    days = days if days in qualifications.EXPIRING_WITHIN else 30
    return await _board_page(
        request,
        conn,
        board_access,
        "qualifications.html",
        expiring=await qualifications.expiring(conn, clock, board_access, days),
        days=days,
        day_choices=qualifications.EXPIRING_WITHIN,
        today=clock.now().date(),
    )


def router() -> Router:
    return board_router(
        [
            expiring_qualifications,
            sign_in_page,
            sign_in,
            sign_out,
            board,
            gap_candidates,
            ask_by_sms,
            autofill_form,
            autofill_preview,
            autofill_apply,
            shift_page,
            take_shift,
            say_no,
        ],
        WORDS,
    )
