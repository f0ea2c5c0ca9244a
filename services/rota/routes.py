from __future__ import annotations

from datetime import timedelta

from litestar import Controller, delete, get, post, put
from litestar.params import JSONBody

from schemas.rota import (
    Applied,
    ApplyPlan,
    Candidates,
    CoverAsk,
    CoverRequest,
    Gap,
    MonthlyMaximum,
    Period,
    Preview,
    SwapOffer,
    SwapRequest,
)
from services.http import PAGE_LINK_OK, Api, PathId, Routes, WindowAsked
from services.rota import autofill, cover, service, swaps


class GapController(Controller):
    """Gaps, who could fill them, and cover requests by SMS."""

    tags = ["rota"]
    path = "/"

    @get("/gaps", summary="Shifts that lack people or qualifications, most urgent first (coordinators)")
    async def list_gaps(self, api: Api, window: WindowAsked) -> list[Gap]:
        start, end = window.span()
        return await service.gaps(api.conn, api.clock, api.access, start, end)

    @get(
        "/occurrences/{occurrence_id:int}/roles/{role_id:int}/candidates",
        summary="Who could fill a role, ranked with reasons, and who is left out by which rule (coordinators)",
    )
    async def list_candidates(self, api: Api, occurrence_id: PathId, role_id: PathId) -> Candidates:
        return await service.candidates(api.conn, api.clock, api.access, occurrence_id, role_id)

    @put(
        "/people/{person_id:int}/monthly-maximum",
        summary="A person's most hours a month (self or coordinators)",
        opt=PAGE_LINK_OK,
    )
    async def set_monthly_maximum(
        self, api: Api, person_id: PathId, data: JSONBody[MonthlyMaximum]
    ) -> MonthlyMaximum:
        await service.set_monthly_maximum(api.conn, api.access, person_id, data.max_hours_per_month)
        return data

    @post(
        "/occurrences/{occurrence_id:int}/roles/{role_id:int}/cover-requests",
        summary="Ask the best candidates by SMS; the first yes takes the place (coordinators)",
    )
    async def ask_for_cover(
        self, api: Api, occurrence_id: PathId, role_id: PathId, data: JSONBody[CoverAsk]
    ) -> CoverRequest:
        return await cover.ask(
            api.conn,
            api.clock,
            api.access,
            occurrence_id,
            role_id,
            data.people,
            timedelta(minutes=data.answer_within_minutes),
            api.public_base,
        )


class SwapController(Controller):
    tags = ["rota"]
    path = "/"

    @post(
        "/assignments/{assignment_id:int}/swap-offers",
        summary="Offer your assignment to a colleague or anyone eligible",
        opt=PAGE_LINK_OK,
    )
    async def offer_swap(self, api: Api, assignment_id: PathId, data: JSONBody[SwapRequest]) -> SwapOffer:
        return await swaps.offer(api.conn, api.clock, api.access, assignment_id, data.offered_to)

    @get("/swap-offers", summary="Open swap offers you could take (or made)", opt=PAGE_LINK_OK)
    async def list_swaps(self, api: Api) -> list[SwapOffer]:
        return await swaps.open_offers(api.conn, api.access)

    @post(
        "/swap-offers/{offer_id:int}/take",
        status_code=200,
        summary="Take a shift on offer (the same rules as a sign-up)",
        opt=PAGE_LINK_OK,
    )
    async def take_swap(self, api: Api, offer_id: PathId) -> SwapOffer:
        return await swaps.take(api.conn, api.clock, api.access, offer_id)

    @delete("/swap-offers/{offer_id:int}", summary="Withdraw your swap offer", opt=PAGE_LINK_OK)
    async def withdraw_swap(self, api: Api, offer_id: PathId) -> None:
        await swaps.withdraw(api.conn, api.access, offer_id)


class AutofillController(Controller):
    tags = ["rota"]
    path = "/"

    @post(
        "/autofill/preview",
        status_code=200,
        summary="Propose assignments for every open place in a period (changes nothing)",
    )
    async def autofill_preview(self, api: Api, data: JSONBody[Period]) -> Preview:
        return await autofill.preview(api.conn, api.clock, api.access, data.start, data.end)

    @post(
        "/autofill/apply", status_code=200, summary="Apply proposals; each is re-checked by the sign-up rules"
    )
    async def autofill_apply(self, api: Api, data: JSONBody[ApplyPlan]) -> Applied:
        return await autofill.apply(api.conn, api.clock, api.access, data.proposals)


ROUTES = Routes(organisation=(GapController, SwapController, AutofillController))
