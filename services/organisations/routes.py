from __future__ import annotations

from litestar import Controller, get, patch
from litestar.params import JSONBody

from schemas.organisations import Organisation, OrganisationUpdate
from services.http import Api, PathId, Routes
from services.organisations import service


class OrganisationController(Controller):
    tags = ["organisations"]
    path = "/"

    @get("/", summary="The organisation")
    async def get_organisation(self, api: Api, org_id: PathId) -> Organisation:
        return await service.get(api.conn, api.access, org_id)

    @patch("/", summary="Change name, default language or time zone (coordinators)")
    async def update_organisation(
        self, api: Api, org_id: PathId, data: JSONBody[OrganisationUpdate]
    ) -> Organisation:
        return await service.update(api.conn, api.clock, api.access, org_id, data)


ROUTES = Routes(organisation=(OrganisationController,))
