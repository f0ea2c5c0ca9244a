from __future__ import annotations

from litestar import Controller, delete, get, post, put
from litestar.params import FromQuery, JSONBody

from schemas.scheduling import Assign, Assignment, AttendanceMark, Deactivated, OpenOccurrence, SignUp
from services.assignments import own, service
from services.http import PAGE_LINK_OK, Api, PathId, Routes


class AssignmentController(Controller):
    """Signing up, assigning, withdrawing and attendance."""

    tags = ["assignments"]
    path = "/"

    @post("/occurrences/{occurrence_id:int}/signups", summary="Sign yourself up for a role", opt=PAGE_LINK_OK)
    async def sign_up(self, api: Api, occurrence_id: PathId, data: JSONBody[SignUp]) -> Assignment:
        return await service.assign(api.conn, api.clock, api.access, occurrence_id, data.role_id)

    @post("/occurrences/{occurrence_id:int}/assignments", summary="Assign a member (coordinators)")
    async def assign(self, api: Api, occurrence_id: PathId, data: JSONBody[Assign]) -> Assignment:
        return await service.assign(
            api.conn, api.clock, api.access, occurrence_id, data.role_id, data.person_id
        )

    @delete(
        "/assignments/{assignment_id:int}",
        status_code=200,
        summary="Withdraw (yourself; marked late after the cut-off) or remove someone (coordinators)",
        opt=PAGE_LINK_OK,
    )
    async def end_assignment(self, api: Api, assignment_id: PathId) -> Assignment:
        return await service.end(api.conn, api.clock, api.access, assignment_id)

    @put("/assignments/{assignment_id:int}/attendance", summary="Attended or no-show (coordinators)")
    async def mark_attendance(
        self, api: Api, assignment_id: PathId, data: JSONBody[AttendanceMark]
    ) -> Assignment:
        return await service.mark_attendance(api.conn, api.clock, api.access, assignment_id, data.attendance)

    @post(
        "/people/{person_id:int}/deactivate",
        status_code=200,
        summary="A volunteer leaves: role taken away, their coming shifts freed (coordinators)",
    )
    async def deactivate(self, api: Api, person_id: PathId) -> Deactivated:
        return Deactivated(await service.stop_volunteering(api.conn, api.clock, api.access, person_id))

    @get("/me/assignments", summary="Your own upcoming assignments", opt=PAGE_LINK_OK)
    async def my_assignments(self, api: Api) -> list[Assignment]:
        return await own.upcoming(api.conn, api.clock, api.access)

    @get(
        "/open-occurrences",
        summary="Occurrences you could still take: qualified, not full, no clash",
        opt=PAGE_LINK_OK,
    )
    async def open_occurrences(self, api: Api, weeks: FromQuery[int] = 4) -> list[OpenOccurrence]:
        found = await own.open_places(api.conn, api.clock, api.access, weeks)
        return [OpenOccurrence(occurrence=o, open_role_ids=r) for o, r in found]


ROUTES = Routes(organisation=(AssignmentController,))
