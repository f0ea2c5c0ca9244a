from __future__ import annotations

from litestar import Controller, put
from litestar.params import JSONBody

from schemas.scheduling import CheckInWindow, OnDuty
from services.checkins import service
from services.http import Api, PathId, Routes


class CheckInController(Controller):
    tags = ["check-ins"]
    path = "/"

    @put(
        "/check-in-window",
        summary="Minutes the outreach pairs have to check in (coordinators)",
        status_code=204,
    )
    async def organisation_window(self, api: Api, data: JSONBody[CheckInWindow]) -> None:
        await service.set_window(api.conn, api.access, data.minutes)

    @put(
        "/activities/{activity_id:int}/check-in-window",
        summary="One activity's check-in window; null for the organisation's (coordinators)",
        status_code=204,
    )
    async def activity_window(self, api: Api, activity_id: PathId, data: JSONBody[CheckInWindow]) -> None:
        await service.set_window(api.conn, api.access, data.minutes, activity_id)

    @put(
        "/people/{person_id:int}/on-duty",
        summary="A coordinator on duty gets the first check-in alerts (coordinators)",
        status_code=204,
    )
    async def on_duty(self, api: Api, person_id: PathId, data: JSONBody[OnDuty]) -> None:
        await service.set_on_duty(api.conn, api.clock, api.access, person_id, data.on_duty)


ROUTES = Routes(organisation=(CheckInController,))
