from __future__ import annotations

from litestar import Controller, get, patch
from litestar.params import JSONBody

from schemas.organisations import Organisation, OrganisationUpdate
from services.http import ClockDep, Conn, OrgAccess, PathId, Routes
from services.organisations import service


class OrganisationController(Controller):
    tags = ["organisations"]
    path = "/"

    @get("/", summary="The organisation")
    async def get_organisation(self, conn: Conn, access: OrgAccess, org_id: PathId) -> Organisation:
        return await service.get(conn, access, org_id)

    @patch("/", summary="Change name, default language or time zone (coordinators)")
    async def update_organisation(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        org_id: PathId,
        data: JSONBody[OrganisationUpdate],
    ) -> Organisation:
        return await service.update(conn, clock, access, org_id, data)


ROUTES = Routes(organisation=(OrganisationController,))
