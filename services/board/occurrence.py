"""One occurrence's page: a coordinator assigns and removes people, moves, cancels or restores the
date, and marks attendance afterwards. Each form calls the same service function as the API."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

import msgspec
from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from schemas.forms import AssignForm, CancelForm, MoveForm
from schemas.scheduling import OccurrenceChange
from services.activities import service as activities
from services.assignments import attendance, left
from services.assignments import service as assignments
from services.checkins import service as checkins
from services.http import PathId
from services.notices import service as notices
from services.occurrences import service as occurrences
from services.pages import render as pages
from services.pages.session import Board, BoardPages
from services.people import service as people
from services.places import service as places
from services.problems import ProblemError, Unprocessable
from services.rota import service as rota
from services.timezones import check_wall_clock


class Refusal(msgspec.Struct, frozen=True):
    """An assignment the rules refused, shown beside its role: whom, and why."""

    role_id: int
    name: str
    why: str


class Choices(msgspec.Struct, frozen=True):
    """Whom the "who" list offers for a place: the ranked candidates, then the others with the
    rule in their way (a coordinator may still try; the rule then says no beside the role)."""

    ranked: list
    others: list


def _choices(found) -> Choices:
    return Choices(found.ranked, [e for e in found.excluded if "already_on_it" not in e.rules])


def _by_role(found: list) -> dict[int, list]:
    by_role: dict[int, list] = defaultdict(list)  # a role nobody left has none
    for shift in found:
        by_role[shift.role_id].append(shift)
    return by_role


async def _name_of(conn, access, person_id: int) -> str:
    try:
        return (await people.get_person(conn, access, person_id)).display_name
    except ProblemError:  # not one of hers: the refusal says so on its own
        return ""


# After a save the page says so, and opens where the change shows.
SAVED_AT = pages.SavedParts(
    "/board/occurrences/{}",
    {
        "assigned": "roles",
        "removed": "roles",
        "moved": "when",
        "cancelled": "when",
        "restored": "when",
        "attendance": "attendance",
    },
)


class OccurrenceController(BoardPages):
    path = "/board"

    async def _occurrence_page(
        self, board: Board, occurrence_id, *, errors=None, refused=None, saved=None, status=200
    ):
        shown = await occurrences.staffing_of(board.conn, board.access, occurrence_id)
        on_it = await assignments.on_occurrence(board.conn, board.access, occurrence_id)
        pickup = (await activities.visible(board.conn, board.access, shown.activity_id)).food_pickup
        own = shown.organisation_id == board.access.organisation_id
        open_to_change = own and shown.ends_at > board.clock.now()
        return await board.page(
            "board/occurrence.html",
            status=status,
            occurrence=shown,
            on_role={r.role_id: [a for a in on_it if a.role_id == r.role_id] for r in shown.roles},
            # Who could take each open place, the ranked first (none chosen for her).
            candidates={
                r.role_id: _choices(
                    await rota.candidates(board.conn, board.clock, board.access, occurrence_id, r.role_id)
                )
                for r in shown.roles
                if open_to_change and shown.status == "scheduled" and r.taken < r.max_people
            },
            left_by_role=_by_role(
                await left.left_unseen(board.conn, board.clock, board.access, occurrence_id)
            ),
            told=len(await notices.reachable_among(board.conn, [a.person_id for a in on_it])),
            own=own,
            begun=shown.starts_at <= board.clock.now(),
            over=shown.ends_at <= board.clock.now(),
            minutes=int((shown.ends_at - shown.starts_at).total_seconds() // 60),
            places=await places.list_places(board.conn, board.access),
            errors=errors or {},
            refused=refused,
            saved=saved if saved in SAVED_AT else None,
            pickup=pickup,
            pickup_at=await places.shown(board.conn, pickup and pickup.pickup_place_id, board.access),
            dropoff_at=await places.shown(board.conn, pickup and pickup.dropoff_place_id, board.access),
            check_in=(await checkins.states(board.conn, [occurrence_id])).get(occurrence_id),
        )

    @get("/occurrences/{occurrence_id:int}")
    async def occurrence(
        self, board: Board, occurrence_id: PathId, saved: FromQuery[str | None] = None
    ) -> Template:
        return await self._occurrence_page(board, occurrence_id, saved=saved)

    @post("/occurrences/{occurrence_id:int}/assign")
    async def assign(self, board: Board, occurrence_id: PathId) -> Response:
        """Assign someone; a refusal shows the date again with why beside the role and her name."""
        form = await board.posted(AssignForm)
        try:
            await assignments.assign(
                board.conn, board.clock, board.access, occurrence_id, form.role_id, form.person_id
            )
        except ProblemError as refused:
            shown = board.refused(refused)
            who = await _name_of(board.conn, board.access, form.person_id)
            return await self._occurrence_page(
                board, occurrence_id, refused=Refusal(form.role_id, who, shown.problem), status=shown.status
            )
        return SAVED_AT.saved(occurrence_id, "assigned")

    @post("/occurrences/{occurrence_id:int}/assignments/{assignment_id:int}/remove")
    async def remove(self, board: Board, occurrence_id: PathId, assignment_id: PathId) -> Response:
        await board.form()
        await assignments.end(board.conn, board.clock, board.access, assignment_id)
        return SAVED_AT.saved(occurrence_id, "removed")

    @post("/occurrences/{occurrence_id:int}/move")
    async def move(self, board: Board, occurrence_id: PathId) -> Response:
        try:
            form = await board.posted(MoveForm)
            try:
                start_local = datetime.fromisoformat(form.start_local)
            except ValueError:  # the pattern let through a 31 February
                raise Unprocessable(f"Not a date and time: {form.start_local}.", code="bad-form") from None
            await self._move(board.conn, board.clock, board.access, occurrence_id, form, start_local)
        except ProblemError as refused:
            shown = board.refused(refused, {"time-in-gap": "start_local"})
            return await self._occurrence_page(board, occurrence_id, errors=shown.errors, status=shown.status)
        return SAVED_AT.saved(occurrence_id, "moved")

    async def _move(self, conn, clock, access, occurrence_id, form, start_local):
        check_wall_clock(
            start_local, (await occurrences.staffing_of(conn, access, occurrence_id)).time_zone, "start_local"
        )
        change = OccurrenceChange(
            start_local=start_local, duration_minutes=form.duration_minutes, place_id=form.place_id
        )
        await occurrences.change_occurrence(conn, clock, access, occurrence_id, change)

    @post("/occurrences/{occurrence_id:int}/cancel")
    async def cancel(self, board: Board, occurrence_id: PathId) -> Response:
        """Cancel this one date, after the page said who will be told; the reason goes in the text."""
        form = await board.posted(CancelForm)
        change = OccurrenceChange(status="cancelled", reason=form.reason.strip() or None)
        await occurrences.change_occurrence(board.conn, board.clock, board.access, occurrence_id, change)
        return SAVED_AT.saved(occurrence_id, "cancelled")

    @post("/occurrences/{occurrence_id:int}/restore")
    async def restore(self, board: Board, occurrence_id: PathId) -> Response:
        await board.form()
        change = OccurrenceChange(status="scheduled")
        await occurrences.change_occurrence(board.conn, board.clock, board.access, occurrence_id, change)
        return SAVED_AT.saved(occurrence_id, "restored")

    @post("/occurrences/{occurrence_id:int}/attendance")
    async def attendance(self, board: Board, occurrence_id: PathId) -> Response:
        """Everyone's attendance in one form: a field `attendance-<assignment id>` each."""
        form = await board.form()
        on_it = {a.id for a in await assignments.on_occurrence(board.conn, board.access, occurrence_id)}
        marks = {a: str(form.get(f"attendance-{a}")) for a in on_it if form.get(f"attendance-{a}")}
        await attendance.mark_all(board.conn, board.clock, board.access, marks)
        return SAVED_AT.saved(occurrence_id, "attendance")
