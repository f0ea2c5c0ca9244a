from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, get
from litestar.params import FromQuery

from schemas.scheduling import HoursReport, PersonMonth
from services.hours import service
from services.http import Api, PathId, Routes


class HoursController(Controller):
    tags = ["hours"]
    path = "/"

    @get("/reports/hours", summary="Attended volunteer hours per kind of activity in a month (JSON or CSV)")
    async def hours_report(
        self, api: Api, month: FromQuery[str], format: FromQuery[Literal["json", "csv"]] = "json"
    ) -> Response[HoursReport] | Response[str]:
        report = await service.report(api.conn, api.access, month)
        if format == "csv":
            return Response(
                service.as_csv(report, api.access.language),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="hours-{month}.csv"'},
            )
        return Response(report)

    @get("/people/{person_id:int}/hours", summary="A person's attended hours per month, last 12 months")
    async def hours_of_person(self, api: Api, person_id: PathId) -> list[PersonMonth]:
        return await service.of_person(api.conn, api.access, person_id, api.clock.now().date())


ROUTES = Routes(organisation=(HoursController,))
