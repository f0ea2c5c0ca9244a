from __future__ import annotations

from datetime import datetime, timedelta

from litestar import get, post, put
from litestar.params import FromPath, FromQuery, JSONBody

from schemas.rota import Candidates, CoverAsk, Gap, MonthlyMaximum
from services.http import ClockDep, Conn, OrgAccess
from services.problems import Unprocessable
from services.rota import cover, service


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
    for name, value in (("start", start), ("end", end)):
        if value is not None and value.tzinfo is None:
            raise Unprocessable(
                f"{name} needs a time zone offset, e.g. 2026-03-02T00:00:00+01:00.", code="naive-time"
            )
    start = start or clock.now()
    return await service.gaps(conn, clock, access, start, end or start + timedelta(weeks=4))


@get(
    "/occurrences/{occurrence_id:int}/roles/{role_id:int}/candidates",
    tags=["rota"],
    summary="Who could fill a role, ranked with reasons, and who is left out by which rule (coordinators)",
)
async def list_candidates(
    conn: Conn, clock: ClockDep, access: OrgAccess, occurrence_id: FromPath[int], role_id: FromPath[int]
) -> Candidates:
    return await service.candidates(conn, clock, access, occurrence_id, role_id)


@put(
    "/people/{person_id:int}/monthly-maximum",
    tags=["rota"],
    summary="A person's most hours a month (self or coordinators)",
)
async def set_monthly_maximum(
    conn: Conn, access: OrgAccess, person_id: FromPath[int], data: JSONBody[MonthlyMaximum]
) -> MonthlyMaximum:
    await service.set_monthly_maximum(conn, access, person_id, data.max_hours_per_month)
    return data


@post(
    "/occurrences/{occurrence_id:int}/roles/{role_id:int}/cover-requests",
    tags=["rota"],
    summary="Ask the best candidates by SMS; the first yes takes the place (coordinators)",
)
async def ask_for_cover(
    conn: Conn,
    clock: ClockDep,
    access: OrgAccess,
    occurrence_id: FromPath[int],
    role_id: FromPath[int],
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
    )
