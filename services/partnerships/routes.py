from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import JSONBody

from schemas.organisations import Partnership, PartnershipAsk
from services.http import Api, PathId, Routes
from services.partnerships import service


class PartnershipController(Controller):
    path = "/partnerships"
    tags = ["organisations"]

    @get("/", summary="Partner organisations, and asks waiting either way (coordinators)")
    async def list_partnerships(self, api: Api) -> list[Partnership]:
        return await service.list_partnerships(api.conn, api.access)

    @post("/", summary="Ask an organisation to be partners, by its short name (accepts if it asked us)")
    async def ask(self, api: Api, data: JSONBody[PartnershipAsk]) -> Partnership:
        return await service.ask(api.conn, api.clock, api.access, data.partner)

    @post("/{partnership_id:int}/accept", status_code=200, summary="Accept a partnership we were asked for")
    async def accept(self, api: Api, partnership_id: PathId) -> Partnership:
        return await service.accept(api.conn, api.clock, api.access, partnership_id)

    @delete(
        "/{partnership_id:int}",
        summary="End a partnership (either side): nothing stays shared, the other's members come off coming dates",
    )
    async def end(self, api: Api, partnership_id: PathId) -> None:
        await service.end(api.conn, api.clock, api.access, partnership_id)


ROUTES = Routes(organisation=(PartnershipController,))
