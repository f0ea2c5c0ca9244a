from __future__ import annotations

from litestar import Controller, get, patch, post, put
from litestar.params import JSONBody

from schemas.common import Page
from schemas.scheduling import Activity, ActivityChange, ActivityCreate, RoleSpec, SplitRequest
from services.activities import changes, roles, service
from services.http import Api, PageAsked, PathId, Routes


class ActivityController(Controller):
    path = "/activities"
    tags = ["activities"]

    @get("/", summary="Activities of the organisation and those shared with it")
    async def list_activities(self, api: Api, page: PageAsked) -> Page[Activity]:
        return await service.list_activities(api.conn, api.access, page)

    @post("/", summary="Plan an activity: a one-off or a recurring series (coordinators)")
    async def create(self, api: Api, data: JSONBody[ActivityCreate]) -> Activity:
        return await service.create(api.conn, api.clock, api.access, data)

    @get("/{activity_id:int}", summary="An activity with its roles")
    async def get_activity(self, api: Api, activity_id: PathId) -> Activity:
        return await service.visible(api.conn, api.access, activity_id)

    @patch("/{activity_id:int}", summary="Change the whole series from today on (coordinators)")
    async def change(self, api: Api, activity_id: PathId, data: JSONBody[ActivityChange]) -> Activity:
        return await changes.change_series(api.conn, api.clock, api.access, activity_id, data)

    @post(
        "/{activity_id:int}/split",
        summary="Change this and the following occurrences: a new series (coordinators)",
    )
    async def split(self, api: Api, activity_id: PathId, data: JSONBody[SplitRequest]) -> Activity:
        return await changes.split(api.conn, api.clock, api.access, activity_id, data.from_date, data.change)

    @post("/{activity_id:int}/roles", summary="Add a role to every date of the series (coordinators)")
    async def add_role(self, api: Api, activity_id: PathId, data: JSONBody[RoleSpec]) -> Activity:
        return await roles.add_role(api.conn, api.clock, api.access, activity_id, data)

    @put(
        "/{activity_id:int}/roles/{role_id:int}",
        summary="Change a role for every date: name, numbers, qualifications needed (coordinators)",
        description="People already on a date stay. A role cannot hold fewer people than a coming "
        "date already has (409 role-fuller-than-max). Roles are not removed: give it min_people 0.",
    )
    async def change_role(
        self, api: Api, activity_id: PathId, role_id: PathId, data: JSONBody[RoleSpec]
    ) -> Activity:
        return await roles.change_role(api.conn, api.clock, api.access, activity_id, role_id, data)


ROUTES = Routes(organisation=(ActivityController,))
