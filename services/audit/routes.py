from __future__ import annotations

from datetime import datetime

from litestar import Controller, get
from litestar.params import FromQuery

from schemas.audit import AuditEntry
from schemas.common import Page
from services.audit import trail as service
from services.http import Api, PageAsked, QueryId, Routes


class AuditController(Controller):
    tags = ["audit"]
    path = "/audit"

    @get("/", summary="The organisation's audit trail, newest first (coordinators)")
    async def trail(
        self,
        api: Api,
        page: PageAsked,
        table: FromQuery[str | None] = None,
        row_id: QueryId = None,
        actor: QueryId = None,
        since: FromQuery[datetime | None] = None,
        until: FromQuery[datetime | None] = None,
    ) -> Page[AuditEntry]:
        """Filter by table and row (`table=people&row_id=12`), by who acted (`actor`), and by time."""
        return await service.trail(
            api.conn,
            api.access,
            page,
            table_name=table,
            row_id=row_id,
            actor_person_id=actor,
            since=since,
            until=until,
        )


ROUTES = Routes(organisation=(AuditController,))
