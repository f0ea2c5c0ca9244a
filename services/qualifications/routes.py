from __future__ import annotations

from litestar import Controller, get, post
from litestar.params import FromQuery, JSONBody

from schemas.people import (
    ExpiringQualification,
    PersonQualification,
    PersonQualificationCreate,
    QualificationType,
    QualificationTypeCreate,
)
from services.access.service import require_person_in_view
from services.http import Api, PathId, Routes
from services.qualifications import service


class QualificationTypeController(Controller):
    path = "/qualification-types"
    tags = ["qualifications"]

    @get("/", summary="Qualification types of the organisation")
    async def list_types(self, api: Api) -> list[QualificationType]:
        return await service.list_types(api.conn, api.access)

    @post("/", summary="Add a qualification type (coordinators)")
    async def create_type(self, api: Api, data: JSONBody[QualificationTypeCreate]) -> QualificationType:
        return await service.create_type(api.conn, api.access, data)


class ExpiringQualificationController(Controller):
    path = "/qualifications/expiring"
    tags = ["qualifications"]

    @get("/", summary="Members' qualifications ending in the next 30 or 60 days (coordinators)")
    async def list_expiring(self, api: Api, days: FromQuery[int] = 30) -> list[ExpiringQualification]:
        return await service.expiring(api.conn, api.clock, api.access, days)


class PersonQualificationController(Controller):
    path = "/people/{person_id:int}/qualifications"
    tags = ["qualifications"]

    @get("/", summary="A person's qualifications with their validity")
    async def list_for_person(self, api: Api, person_id: PathId) -> list[PersonQualification]:
        await require_person_in_view(api.conn, api.access, person_id)
        return await service.list_for_person(api.conn, api.access.organisation_id, person_id)

    @post("/", summary="Record a qualification (coordinators)")
    async def add(
        self, api: Api, person_id: PathId, data: JSONBody[PersonQualificationCreate]
    ) -> list[PersonQualification]:
        await require_person_in_view(api.conn, api.access, person_id)
        return await service.add_for_person(api.conn, api.clock, api.access, person_id, data)


ROUTES = Routes(
    organisation=(QualificationTypeController, PersonQualificationController, ExpiringQualificationController)
)
