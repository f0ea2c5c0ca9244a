from __future__ import annotations

from litestar import Controller, get, put
from litestar.params import JSONBody

from schemas.scheduling import Availability
from services.availability import service
from services.http import PAGE_LINK_OK, Api, PathId, Routes


class AvailabilityController(Controller):
    tags = ["availability"]
    path = "/"

    @get(
        "/people/{person_id:int}/availability", summary="Weekly availability and blackouts", opt=PAGE_LINK_OK
    )
    async def get_availability(self, api: Api, person_id: PathId) -> Availability:
        return await service.get(api.conn, api.access, person_id)

    @put(
        "/people/{person_id:int}/availability",
        summary="Replace weekly availability and blackouts",
        opt=PAGE_LINK_OK,
    )
    async def replace_availability(
        self, api: Api, person_id: PathId, data: JSONBody[Availability]
    ) -> Availability:
        return await service.replace(api.conn, api.access, person_id, data)


ROUTES = Routes(organisation=(AvailabilityController,))
