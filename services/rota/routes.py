from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import msgspec
from litestar import Request, delete, get, post, put
from litestar.params import FromQuery, JSONBody

from schemas.rota import Candidates, CoverAsk, Gap, MonthlyMaximum
from services.http import ClockDep, Conn, OrgAccess, PathId, window
from services.rota import autofill, cover, service, swaps


@get(
    "/gaps",
    tags=["rota"],
    summary="Shifts that lack people or qualifications, most urgent first (coordinators)",
)
async def list_gaps(
    conn: Conn,
    clock: ClockDep,
    access: OrgAccess,
    start: FromQuery[datetime | None] = None,
    end: FromQuery[datetime | None] = None,
) -> list[Gap]:
    start, end = window(clock, start, end)
    return await service.gaps(conn, clock, access, start, end)


@get(
    "/occurrences/{occurrence_id:int}/roles/{role_id:int}/candidates",
    tags=["rota"],
    summary="Who could fill a role, ranked with reasons, and who is left out by which rule (coordinators)",
)
async def list_candidates(
    conn: Conn, clock: ClockDep, access: OrgAccess, occurrence_id: PathId, role_id: PathId
) -> Candidates:
    return await service.candidates(conn, clock, access, occurrence_id, role_id)


@put(
    "/people/{person_id:int}/monthly-maximum",
    tags=["rota"],
    summary="A person's most hours a month (self or coordinators)",
)
async def set_monthly_maximum(
    conn: Conn, access: OrgAccess, person_id: PathId, data: JSONBody[MonthlyMaximum]
) -> MonthlyMaximum:
    await service.set_monthly_maximum(conn, access, person_id, data.max_hours_per_month)
    return data


@post(
    "/occurrences/{occurrence_id:int}/roles/{role_id:int}/cover-requests",
    tags=["rota"],
    summary="Ask the best candidates by SMS; the first yes takes the place (coordinators)",
)
async def ask_for_cover(
    request: Request,
    conn: Conn,
    clock: ClockDep,
    access: OrgAccess,
    occurrence_id: PathId,
    role_id: PathId,
    data: JSONBody[CoverAsk],
) -> cover.CoverRequest:
    return await cover.ask(
        conn,
        clock,
        access,
        occurrence_id,
        role_id,
        data.people,
        timedelta(minutes=data.answer_within_minutes),
        request.app.state.settings.public_base,
    )


class SwapRequest(msgspec.Struct, forbid_unknown_fields=True):
    offered_to: int | None = None  # a colleague's person id; leave out for anyone eligible


@post(
    "/assignments/{assignment_id:int}/swap-offers",
    tags=["rota"],
    summary="Offer your assignment to a colleague or anyone eligible",
)
async def offer_swap(
    conn: Conn, clock: ClockDep, access: OrgAccess, assignment_id: PathId, data: JSONBody[SwapRequest]
) -> swaps.SwapOffer:
    return await swaps.offer(conn, clock, access, assignment_id, data.offered_to)


@get("/swap-offers", tags=["rota"], summary="Open swap offers you could take (or made)")
async def list_swaps(conn: Conn, access: OrgAccess) -> list[swaps.SwapOffer]:
    return await swaps.open_offers(conn, access)


@post(
    "/swap-offers/{offer_id:int}/take",
    status_code=200,
    tags=["rota"],
    summary="Take a shift on offer (the same rules as a sign-up)",
)
async def take_swap(conn: Conn, clock: ClockDep, access: OrgAccess, offer_id: PathId) -> swaps.SwapOffer:
    return await swaps.take(conn, clock, access, offer_id)


@delete("/swap-offers/{offer_id:int}", tags=["rota"], summary="Withdraw your swap offer")
async def withdraw_swap(conn: Conn, access: OrgAccess, offer_id: PathId) -> None:
    await swaps.withdraw(conn, access, offer_id)


class Period(msgspec.Struct, forbid_unknown_fields=True):
    start: Annotated[datetime, msgspec.Meta(tz=True)]
    end: Annotated[datetime, msgspec.Meta(tz=True)]


class ApplyPlan(msgspec.Struct, forbid_unknown_fields=True):
    proposals: list[autofill.Proposal]


@post(
    "/autofill/preview",
    status_code=200,
    tags=["rota"],
    summary="Propose assignments for every open place in a period (changes nothing)",
)
async def autofill_preview(
    conn: Conn, clock: ClockDep, access: OrgAccess, data: JSONBody[Period]
) -> autofill.Preview:
    return await autofill.preview(conn, clock, access, data.start, data.end)


@post(
    "/autofill/apply",
    status_code=200,
    tags=["rota"],
    summary="Apply proposals; each is re-checked by the sign-up rules",
)
async def autofill_apply(
    conn: Conn, clock: ClockDep, access: OrgAccess, data: JSONBody[ApplyPlan]
) -> autofill.Applied:
    return await autofill.apply(conn, clock, access, data.proposals)
