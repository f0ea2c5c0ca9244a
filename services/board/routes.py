"""The coordinators' pages. They call the same rules as the API routes (gaps, candidates, cover
requests, auto-fill, room requests) and only turn forms into calls and results into HTML. Each
POST answers with a redirect to a page that shows the new state, so a reload never sends a form
twice."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import msgspec
from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from schemas.forms import AskForm, PeriodForm
from schemas.rota import Proposal
from services.access import sessions
from services.assignments import left
from services.board.activities import ActivityPageController
from services.board.attendance import AttendanceController
from services.board.audit import AuditController
from services.board.inbox import InboxController
from services.board.occurrence import OccurrenceController
from services.board.partners import PartnersController
from services.board.people import PeopleController
from services.board.person import PersonController
from services.board.person_availability import PersonAvailabilityController
from services.board.places import PlaceController
from services.board.plan import PlanController
from services.board.qualifications import QualificationsController
from services.board.reports import FunderReportController, ReportController
from services.board.rooms import RoomsController
from services.board.series import SeriesPageController
from services.board.sessions import SessionController
from services.board.sms import SmsProblemsController
from services.bookings import service as bookings
from services.http import PathId, Routes
from services.inbox import waiting
from services.occurrences import service as occurrences
from services.organisations import service as organisations
from services.pages.session import Board, BoardPages
from services.problems import Unprocessable
from services.rota import autofill, cover, cover_pages
from services.rota import service as rota

DAY_CHOICES = (3, 7, 14, 28)
ANSWER_CHOICES = (30, 60, 180, 720)  # minutes


def _local_midnight(day: date, zone: str) -> datetime:
    return datetime.combine(day, time(0), ZoneInfo(zone))


async def _labels(conn, access, proposals, unfilled) -> dict:
    return await rota.labels(
        conn,
        access,
        {p.occurrence_id for p in [*proposals, *unfilled]},
        {p.role_id for p in [*proposals, *unfilled]},
        {p.person_id for p in proposals},
    )


class SinceLastLook(msgspec.Struct, frozen=True):
    """What changed since she last opened the board: who left a coming shift, and the texts."""

    at: datetime
    left: list
    texts: int


async def _since_last_look(conn, clock, access) -> SinceLastLook | None:
    """None the first time she opens the board (everything is new then)."""
    at = await sessions.looked_at_board(conn, clock, access)
    if at is None:
        return None
    return SinceLastLook(
        at, await left.left_since(conn, clock, access, at), await waiting.texts_since(conn, access, at)
    )


class BoardController(BoardPages):
    path = "/board"

    @get("/")
    async def board(self, board: Board, days: FromQuery[int] = 14) -> Template:
        days = days if days in DAY_CHOICES else 14
        now = board.clock.now()
        end = now + timedelta(days=days)
        gaps = await rota.gaps(board.conn, board.clock, board.access, now, end)
        requests = await cover_pages.requests_between(board.conn, board.access, now, end)
        return await board.page(
            "board/board.html",
            gaps=gaps,
            days=days,
            day_choices=DAY_CHOICES,
            open_requests={(r.occurrence_id, r.role_id): r for r in requests if r.status == "open"},
            # one "find cover" button per role that a reason names
            roles_to_fill={
                g.occurrence_id: list(dict.fromkeys((r.role_id, r.role_name) for r in g.reasons))
                for g in gaps
            },
            filled=[r for r in requests if r.status == "filled"],
            rooms_missing=len(await bookings.room_problems(board.conn, board.access, now, end)),
            left=await left.left_unseen(board.conn, board.clock, board.access),
            since=await _since_last_look(board.conn, board.clock, board.access),
        )

    @post("/left/{assignment_id:int}/seen")
    async def seen_who_left(self, board: Board, assignment_id: PathId) -> Response:
        """A coordinator has seen that someone left (and found cover, or will)."""
        await board.form()
        await left.mark_seen(board.conn, board.clock, board.access, assignment_id)
        return Redirect("/board#left", status_code=303)

    @get("/occurrences/{occurrence_id:int}/roles/{role_id:int}")
    async def gap_candidates(
        self, board: Board, occurrence_id: PathId, role_id: PathId, asked: FromQuery[int | None] = None
    ) -> Template:
        found = await rota.candidates(board.conn, board.clock, board.access, occurrence_id, role_id)
        occurrence = await occurrences.occurrence_for(board.conn, board.access, occurrence_id)
        latest, asks = await cover_pages.latest(board.conn, board.clock, board.access, occurrence_id, role_id)
        names = await rota.labels(board.conn, board.access, set(), {role_id}, set())
        return await board.page(
            "board/candidates.html",
            occurrence=occurrence,
            role={"id": role_id, "name": names["roles"][role_id]},
            candidates=found,
            cover_request=latest,
            asks=asks,
            filled_by=next((a.display_name for a in asks if latest and a.person_id == latest.filled_by), ""),
            asked=asked,
            answer_choices=ANSWER_CHOICES,
        )

    @post("/occurrences/{occurrence_id:int}/roles/{role_id:int}/ask")
    async def ask_by_sms(self, board: Board, occurrence_id: PathId, role_id: PathId) -> Response:
        form = await board.posted(AskForm)
        made = await cover.ask(
            board.conn,
            board.clock,
            board.access,
            occurrence_id,
            role_id,
            form.people,
            timedelta(minutes=form.answer_within_minutes),
            board.public_base,
        )
        return Redirect(
            f"/board/occurrences/{occurrence_id}/roles/{role_id}?asked={len(made.asked)}", status_code=303
        )

    @get("/autofill")
    async def autofill_form(self, board: Board) -> Template:
        organisation = await organisations.get(board.conn, board.access, board.access.organisation_id)
        tomorrow = board.clock.now().astimezone(ZoneInfo(organisation.time_zone)).date() + timedelta(days=1)
        return await board.page(
            "board/autofill.html",
            organisation=organisation,
            start=tomorrow,
            end=tomorrow + timedelta(days=30),
            preview=None,
        )

    @post("/autofill")
    async def autofill_preview(self, board: Board) -> Template:
        form = await board.posted(PeriodForm)
        organisation = await organisations.get(board.conn, board.access, board.access.organisation_id)
        zone = organisation.time_zone
        found = await autofill.preview(
            board.conn,
            board.clock,
            board.access,
            _local_midnight(form.start, zone),
            _local_midnight(form.end + timedelta(days=1), zone),  # "up to and including"
        )
        by_occurrence = defaultdict(list)
        for proposal in found.proposals:
            by_occurrence[proposal.occurrence_id].append(proposal)
        return await board.page(
            "board/autofill.html",
            organisation=organisation,
            start=form.start,
            end=form.end,
            preview=found,
            by_occurrence=by_occurrence,
            labels=await _labels(board.conn, board.access, found.proposals, found.unfilled),
        )

    @post("/autofill/apply")
    async def autofill_apply(self, board: Board) -> Template:
        form = await board.form()
        chosen = []
        for value in form.getall("proposal", []):
            try:
                occurrence_id, role_id, person_id = (int(part) for part in str(value).split("-"))
            except ValueError:
                raise Unprocessable(f"Not a proposal: {value!r}.", code="bad-form") from None
            chosen.append(Proposal(occurrence_id, role_id, person_id))
        done = await autofill.apply(board.conn, board.clock, board.access, chosen)
        refused = [proposal for proposal, _why in done.refused]
        return await board.page(
            "board/autofill_applied.html",
            applied=done.applied,
            refused=done.refused,
            labels=await _labels(board.conn, board.access, [*done.applied, *refused], []),
        )


ROUTES = Routes(
    top=(
        BoardController,
        PlanController,
        OccurrenceController,
        AttendanceController,
        ActivityPageController,
        SeriesPageController,
        RoomsController,
        PlaceController,
        PeopleController,
        PersonController,
        PersonAvailabilityController,
        ReportController,
        FunderReportController,
        SessionController,
        PartnersController,
        AuditController,
        InboxController,
        QualificationsController,
        SmsProblemsController,
    )
)
