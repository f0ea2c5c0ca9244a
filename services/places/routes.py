from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.params import JSONBody

from schemas.scheduling import Place, PlaceCreate
from services.http import Api, PathId, Routes
from services.places import service


class PlaceController(Controller):
    path = "/places"
    tags = ["places"]

    @get("/", summary="Places of the organisation (protected addresses only for its coordinators)")
    async def list_places(self, api: Api) -> list[Place]:
        return await service.list_places(api.conn, api.access)

    @post("/", summary="Add a place (coordinators)")
    async def create(self, api: Api, data: JSONBody[PlaceCreate]) -> Place:
        return await service.create(api.conn, api.access, data)

    @put("/{place_id:int}", summary="Replace a place's details (coordinators)")
    async def update(self, api: Api, place_id: PathId, data: JSONBody[PlaceCreate]) -> Place:
        return await service.update(api.conn, api.access, place_id, data)


ROUTES = Routes(organisation=(PlaceController,))
