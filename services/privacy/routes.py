from __future__ import annotations

from typing import Any, Literal

from litestar import Controller, Response, get, post
from litestar.params import FromQuery, JSONBody

from schemas.people import Erased, ErasureRequest
from services.http import ClockDep, Conn, OrgAccess, PathId, Routes
from services.privacy import erasure, export
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

    @get(
        "/export",
        summary="Everything held about a person: JSON, or a ZIP with CSVs (coordinators, or the person)",
    )
    async def export_person(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        person_id: PathId,
        format: FromQuery[Literal["json", "zip"]] = "json",
    ) -> Response:
        found = await export.export(conn, clock, access, person_id)
        return zip_response(found, person_id) if format == "zip" else Response(found)

    @post("/erase", summary="Erase a person's data at their request (coordinators); cannot be undone")
    async def erase_person(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        person_id: PathId,
        data: JSONBody[ErasureRequest],
    ) -> Erased:
        if not data.confirm:
            raise Unprocessable("Erasing cannot be undone: send confirm: true.", code="confirm-erasure")
        return Erased(erased=True, shifts_freed=await erasure.erase(conn, clock, access, person_id))


ROUTES = Routes(organisation=(PrivacyController,))
