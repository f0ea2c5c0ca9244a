from __future__ import annotations

from litestar import Controller, get, patch
from litestar.params import JSONBody

from schemas.scheduling import Occurrence, OccurrenceChange
from services.access.service import Access
from services.http import Api, PathId, QueryId, Routes, WindowAsked
from services.occurrences import service, staffing


def _for_viewer(occurrence: Occurrence, access: Access) -> Occurrence:
    """Coordinators see who is on each role; others see the counts and themselves only."""
    if access.is_coordinator and occurrence.organisation_id == access.organisation_id:
        return occurrence
    for role in occurrence.roles:
        role.people = [p for p in role.people if p == access.person_id]
    return occurrence


class OccurrenceController(Controller):
    path = "/occurrences"
    tags = ["occurrences"]

    @get("/", summary="Staffing view: occurrences in a window with each role short, ok or full")
    async def staffing(self, api: Api, window: WindowAsked, activity_id: QueryId = None) -> list[Occurrence]:
        start, end = window.span()
        end = end
        found = await staffing.staffing_window(api.conn, api.access, start, end, activity_id)
        return [_for_viewer(o, api.access) for o in found]

    @get("/{occurrence_id:int}", summary="One occurrence with its staffing")
    async def get_occurrence(self, api: Api, occurrence_id: PathId) -> Occurrence:
        return _for_viewer(await service.staffing_of(api.conn, api.access, occurrence_id), api.access)

    @patch("/{occurrence_id:int}", summary="Move, re-place, cancel or restore one occurrence (coordinators)")
    async def change(self, api: Api, occurrence_id: PathId, data: JSONBody[OccurrenceChange]) -> Occurrence:
        return await service.change_occurrence(api.conn, api.clock, api.access, occurrence_id, data)


ROUTES = Routes(organisation=(OccurrenceController,))
