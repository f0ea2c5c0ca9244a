from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.params import JSONBody

from schemas.scheduling import Place, PlaceCreate
from services.http import Conn, OrgAccess, PathId, Routes
from services.places import service


class PlaceController(Controller):
    path = "/places"
    tags = ["places"]

    @get("/", summary="Places of the organisation (protected addresses only for its coordinators)")
    async def list_places(self, conn: Conn, access: OrgAccess) -> list[Place]:
        return await service.list_places(conn, access)

    @post("/", summary="Add a place (coordinators)")
    async def create(self, conn: Conn, access: OrgAccess, data: JSONBody[PlaceCreate]) -> Place:
        return await service.create(conn, access, data)

    @put("/{place_id:int}", summary="Replace a place's details (coordinators)")
    async def update(
        self, conn: Conn, access: OrgAccess, place_id: PathId, data: JSONBody[PlaceCreate]
    ) -> Place:
        return await service.update(conn, access, place_id, data)


ROUTES = Routes(organisation=(PlaceController,))
