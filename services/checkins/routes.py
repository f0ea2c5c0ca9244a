from __future__ import annotations

from litestar import Controller, put
from litestar.params import JSONBody

from schemas.scheduling import CheckInWindow, OnDuty
from services.checkins import service
from services.http import ClockDep, Conn, OrgAccess, PathId, Routes


class CheckInController(Controller):
    tags = ["check-ins"]
    path = "/"

    @put(
        "/check-in-window",
        summary="Minutes the outreach pairs have to check in (coordinators)",
        status_code=204,
    )
    async def organisation_window(self, conn: Conn, access: OrgAccess, data: JSONBody[CheckInWindow]) -> None:
        await service.set_window(conn, access, data.minutes)

    @put(
        "/activities/{activity_id:int}/check-in-window",
        summary="One activity's check-in window; null for the organisation's (coordinators)",
        status_code=204,
    )
    async def activity_window(
        self, conn: Conn, access: OrgAccess, activity_id: PathId, data: JSONBody[CheckInWindow]
    ) -> None:
        await service.set_window(conn, access, data.minutes, activity_id)

    @put(
        "/people/{person_id:int}/on-duty",
        summary="A coordinator on duty gets the first check-in alerts (coordinators)",
        status_code=204,
    )
    async def on_duty(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, person_id: PathId, data: JSONBody[OnDuty]
    ) -> None:
        await service.set_on_duty(conn, clock, access, person_id, data.on_duty)


ROUTES = Routes(organisation=(CheckInController,))
