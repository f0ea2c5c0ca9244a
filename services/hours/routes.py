from __future__ import annotations

from typing import Literal

from litestar import Controller, Response, get
from litestar.params import FromQuery

from schemas.scheduling import HoursReport
from services.hours import service
from services.http import Conn, OrgAccess, Routes


class HoursController(Controller):
    tags = ["hours"]
    path = "/"

    @get("/reports/hours", summary="Attended volunteer hours per kind of activity in a month (JSON or CSV)")
    async def hours_report(
        self,
        conn: Conn,
        access: OrgAccess,
        month: FromQuery[str],
        format: FromQuery[Literal["json", "csv"]] = "json",
    ) -> Response[HoursReport] | Response[str]:
        report = await service.report(conn, access, month)
        if format == "csv":
            return Response(
                service.as_csv(report),
                media_type="text/csv; charset=utf-8",
                headers={"Content-Disposition": f'attachment; filename="hours-{month}.csv"'},
            )
        return Response(report)


ROUTES = Routes(organisation=(HoursController,))
