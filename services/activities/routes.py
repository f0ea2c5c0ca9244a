from __future__ import annotations

from litestar import Controller, get, patch, post, put
from litestar.params import JSONBody

from schemas.common import Page
from schemas.scheduling import Activity, ActivityChange, ActivityCreate, RoleSpec, SplitRequest
from services.activities import changes, roles, service
from services.http import ClockDep, Conn, OrgAccess, PageAsked, PathId, Routes


class ActivityController(Controller):
    path = "/activities"
    tags = ["activities"]

    @get("/", summary="Activities of the organisation and those shared with it")
    async def list_activities(self, conn: Conn, access: OrgAccess, page: PageAsked) -> Page[Activity]:
        return await service.list_activities(conn, access, page)

    @post("/", summary="Plan an activity: a one-off or a recurring series (coordinators)")
    async def create(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, data: JSONBody[ActivityCreate]
    ) -> Activity:
        return await service.create(conn, clock, access, data)

    @get("/{activity_id:int}", summary="An activity with its roles")
    async def get_activity(self, conn: Conn, access: OrgAccess, activity_id: PathId) -> Activity:
        return await service.visible(conn, access, activity_id)

    @patch("/{activity_id:int}", summary="Change the whole series from today on (coordinators)")
    async def change(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        activity_id: PathId,
        data: JSONBody[ActivityChange],
    ) -> Activity:
        return await changes.change_series(conn, clock, access, activity_id, data)

    @post(
        "/{activity_id:int}/split",
        summary="Change this and the following occurrences: a new series (coordinators)",
    )
    async def split(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        activity_id: PathId,
        data: JSONBody[SplitRequest],
    ) -> Activity:
        return await changes.split(conn, clock, access, activity_id, data.from_date, data.change)

    @post("/{activity_id:int}/roles", summary="Add a role to every date of the series (coordinators)")
    async def add_role(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, activity_id: PathId, data: JSONBody[RoleSpec]
    ) -> Activity:
        return await roles.add_role(conn, clock, access, activity_id, data)

    @put(
        "/{activity_id:int}/roles/{role_id:int}",
        summary="Change a role for every date: name, numbers, qualifications needed (coordinators)",
        description="People already on a date stay. A role cannot hold fewer people than a coming "
        "date already has (409 role-fuller-than-max). Roles are not removed: give it min_people 0.",
    )
    async def change_role(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        activity_id: PathId,
        role_id: PathId,
        data: JSONBody[RoleSpec],
    ) -> Activity:
        return await roles.change_role(conn, clock, access, activity_id, role_id, data)


ROUTES = Routes(organisation=(ActivityController,))
