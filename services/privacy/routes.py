from __future__ import annotations

from typing import Any

from litestar import Controller, Response, get, post, put
from litestar.params import JSONBody

from schemas.people import Erased, ErasureRequest, InactiveVolunteer, Keep
from services.http import Api, PathId, Routes
from services.privacy import erasure, export, retention
from services.problems import Unprocessable


def zip_response(found: dict[str, Any], person_id: int) -> Response[bytes]:
    return Response(
        export.as_zip(found),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="person-{person_id}.zip"'},
    )


class PrivacyController(Controller):
    tags = ["privacy"]
    path = "/people/{person_id:int}"

    @get("/export", summary="Everything held about a person, as JSON (coordinators, or the person)")
    async def export_person(self, api: Api, person_id: PathId) -> dict[str, Any]:
        return await export.export(api.conn, api.clock, api.access, person_id)

    @get(
        "/export.zip",
        summary="The same as a ZIP: export.json and a CSV per section (coordinators, or the person)",
        media_type="application/zip",
    )
    async def export_person_zip(self, api: Api, person_id: PathId) -> Response[bytes]:
        return zip_response(await export.export(api.conn, api.clock, api.access, person_id), person_id)

    @post("/erase", summary="Erase a person's data at their request (coordinators); cannot be undone")
    async def erase_person(self, api: Api, person_id: PathId, data: JSONBody[ErasureRequest]) -> Erased:
        if not data.confirm:
            raise Unprocessable("Erasing cannot be undone: send confirm: true.", code="confirm-erasure")
        return Erased(
            erased=True, shifts_freed=await erasure.erase(api.conn, api.clock, api.access, person_id)
        )


class InactiveController(Controller):
    tags = ["privacy"]
    path = "/"

    @get(
        "/inactive-volunteers",
        summary="Volunteers flagged as inactive, and when each is anonymised (coordinators)",
    )
    async def inactive(self, api: Api) -> list[InactiveVolunteer]:
        return await retention.inactive(api.conn, api.clock, api.access)

    @put(
        "/people/{person_id:int}/keep",
        summary="Keep a volunteer however long inactive (coordinators)",
        status_code=204,
    )
    async def keep(self, api: Api, person_id: PathId, data: JSONBody[Keep]) -> None:
        await retention.keep(api.conn, api.access, person_id, data.keep)


ROUTES = Routes(organisation=(PrivacyController, InactiveController))
