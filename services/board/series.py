"""One activity from the board: its series in plain words, and a change to it for the whole
series or for this date and the following ones, exactly as the API's PATCH and /split do. One date
alone is changed on its occurrence page (move, place, cancel). "Show the dates" previews the
dates the change would give; the service checks both the same way. Its roles (each changed on its
own, or one added) and a pickup's details save on their own, as the API's role and PATCH calls."""

from __future__ import annotations

from datetime import date, datetime

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from schemas.common import FieldError
from schemas.forms import SeriesChangeForm
from schemas.scheduling import Activity, ActivityChange, FoodPickup, RoleSpec
from services.activities import changes as series_changes
from services.activities import roles as activity_roles
from services.activities import rules as series_rules
from services.activities import service as activities
from services.board import activity_parts as parts
from services.board.activities import FIELD_OF_CODE, SECTIONS, partner_named, typed_start
from services.http import PathId
from services.occurrences import service as occurrences
from services.organisations import service as organisations
from services.pages import render as pages
from services.pages.session import Board, BoardPages
from services.places import service as places
from services.problems import ProblemError, Unprocessable
from services.qualifications import service as qualifications

LISTS = ("weekdays", "extra_dates", "skipped_dates", "shared_with")
CHANGE_FIELD_OF_CODE = FIELD_OF_CODE | {
    "split-at-start": "from_date",
    "split-before-date": "from_date",
    "organisation-not-found": "share_with",
    "not-a-partner": "share_with",
    "time-in-gap": "start_time",
}
# The API contract's fields, and where each stands on this form.
FIELD_ON_FORM = {
    "rrule": "weekdays",
    "start_local": "start_time",
    "change.start_local": "from_date",
    "rdates": "extra_dates",
    "exdates": "skipped_dates",
    "shared_with": "share_with",
}


def _typed_from(activity: Activity, today: date) -> dict:
    """The form as the series stands."""
    rule = series_rules.plain_rule(activity.rrule, activity.start_local.date()) or {}
    return {
        "scope": "series",
        "from_date": max(today, activity.start_local.date()).isoformat(),
        "title": activity.title,
        "start_time": f"{activity.start_local:%H:%M}",
        "duration_minutes": activity.duration_minutes,
        "weekdays": rule.get("weekdays", []),
        "every_weeks": rule.get("every_weeks", 1),
        "until": rule.get("until") or "",
        "times": rule.get("times") or "",
        "place_id": activity.place_id or "",
        "participant_capacity": ""
        if activity.participant_capacity is None
        else activity.participant_capacity,
        "extra_dates": [d.date().isoformat() for d in activity.rdates],
        "skipped_dates": [d.date().isoformat() for d in activity.exdates],
        "shared_with": [str(i) for i in activity.shared_with],
        "share_with": "",
    }


def _typed(form) -> dict:
    """What was sent, to show the form again as it was."""
    return {key: form.get(key, "") for key in SeriesChangeForm.__struct_fields__} | {
        key: [v for v in form.getall(key, []) if v] for key in LISTS
    }


async def _change(conn, activity: Activity, form: SeriesChangeForm) -> tuple[ActivityChange, date | None]:
    """The form in the API's terms (ActivityChange, and the date "this and following" starts)."""
    following = form.scope == "following"
    if following and form.from_date is None:
        raise Unprocessable(
            "from_date: choose the first date to change.",
            code="bad-form",
            errors=[FieldError(field="from_date", message="missing")],
        )
    first = form.from_date if following else activity.start_local.date()
    start = typed_start(first, form.start_time, activity.time_zone)
    plain = series_rules.plain_rule(activity.rrule, activity.start_local.date()) is not None
    values = {
        "title": form.title,
        "start_local": start.isoformat(),
        "duration_minutes": form.duration_minutes,
        "place_id": form.place_id,
        "participant_capacity": form.participant_capacity,
        "rdates": [datetime.combine(d, start.time()).isoformat() for d in form.extra_dates],
        "exdates": [datetime.combine(d, start.time()).isoformat() for d in form.skipped_dates],
        "shared_with": list(form.shared_with) + await partner_named(conn, form.share_with),
    }
    if plain or form.weekdays:  # a rule set through the API in other terms is left as it is
        values["rrule"] = series_rules.weekly_rule(form.weekdays, form.every_weeks, form.times, form.until)
    return pages.form_as(values, ActivityChange), form.from_date if following else None


class SeriesPageController(BoardPages):
    path = "/board/activities"

    async def _page(
        self,
        board: Board,
        activity,
        typed,
        *,
        preview=None,
        errors=None,
        status=200,
        saved=None,
        role_typed=None,
        pickup_typed=None,
    ):
        return await board.page(
            "board/activity.html",
            status=status,
            activity=activity,
            form=typed,
            preview=preview,
            errors=errors or {},
            plain=series_rules.plain_rule(activity.rrule, activity.start_local.date()) is not None,
            places=await places.list_places(board.conn, board.access),
            partners=await organisations.partners_named(board.conn, activity.shared_with),
            weekdays=series_rules.WEEKDAYS,
            needs=await parts.role_needs(board.conn, board.access, activity),
            saved=saved if saved in SECTIONS else None,
            role_forms=parts.role_forms(activity, role_typed),
            pickup=pickup_typed or parts.pickup_form(activity),
            qualification_types=await qualifications.list_types(board.conn, board.access),
        )

    @get("/{activity_id:int}")
    async def activity_page(
        self, board: Board, activity_id: PathId, saved: FromQuery[str | None] = None
    ) -> Template:
        activity = await activities.owned(board.conn, board.access, activity_id, "change activities")
        today = occurrences.today(board.clock, activity.time_zone)
        return await self._page(board, activity, _typed_from(activity, today), saved=saved)

    @post("/{activity_id:int}")
    async def preview_or_change(self, board: Board, activity_id: PathId) -> Response:
        """ "Show the dates" lists the dates after the change; "Save" makes it. Both check it all."""
        form = await board.form()
        activity = await activities.owned(board.conn, board.access, activity_id, "change activities")
        typed = _typed(form)
        try:
            sent = {k: v for k, v in typed.items() if k not in LISTS} | {k: typed[k] for k in LISTS}
            change, from_date = await _change(board.conn, activity, pages.form_as(sent, SeriesChangeForm))
            dates = await series_changes.dates_after_change(
                board.conn, board.clock, board.access, activity_id, change, from_date
            )
            if form.get("save"):
                if from_date is None:
                    changed = await series_changes.change_series(
                        board.conn, board.clock, board.access, activity_id, change
                    )
                else:
                    changed = await series_changes.split(
                        board.conn, board.clock, board.access, activity_id, from_date, change
                    )
                return SECTIONS.saved(changed.id, "series")
        except ProblemError as refused:
            shown = board.refused(refused, CHANGE_FIELD_OF_CODE)
            errors = {FIELD_ON_FORM.get(field, field): words for field, words in shown.errors.items()}
            return await self._page(board, activity, typed, errors=errors, status=shown.status)
        return await self._page(board, activity, typed, preview=dates)

    async def _part_refused(self, board: Board, activity_id: int, refused, **typed):
        """A role's or the pickup's form refused: the page again, that form as typed, with why."""
        shown = board.refused(refused)
        activity = await activities.owned(board.conn, board.access, activity_id, "change activities")
        today = occurrences.today(board.clock, activity.time_zone)
        role, pickup = typed.get("role"), typed.get("pickup")
        return await self._page(
            board,
            activity,
            _typed_from(activity, today),
            status=shown.status,
            role_typed=role and role | {"problem": shown.problem},
            pickup_typed=pickup and pickup | {"problem": shown.problem},
        )

    @post("/{activity_id:int}/roles")
    async def add_role(self, board: Board, activity_id: PathId) -> Response:
        """A role added for every date."""
        return await self._save_role(board, activity_id, None)

    @post("/{activity_id:int}/roles/{role_id:int}")
    async def change_role(self, board: Board, activity_id: PathId, role_id: PathId) -> Response:
        """One role changed for every date."""
        return await self._save_role(board, activity_id, role_id)

    async def _save_role(self, board: Board, activity_id: int, role_id: int | None):
        typed = parts.typed_role("new" if role_id is None else str(role_id), await board.form())
        try:
            role = pages.form_as(typed | {"key": ""}, RoleSpec)
            if role_id is None:
                await activity_roles.add_role(board.conn, board.clock, board.access, activity_id, role)
            else:
                await activity_roles.change_role(
                    board.conn, board.clock, board.access, activity_id, role_id, role
                )
        except ProblemError as refused:
            return await self._part_refused(board, activity_id, refused, role=typed)
        return SECTIONS.saved(activity_id, "roles")

    @post("/{activity_id:int}/pickup")
    async def change_pickup(self, board: Board, activity_id: PathId) -> Response:
        """A pickup's donor, places, what and car, for the whole series; the series' place is
        where it is picked up, as when it was planned."""
        form = await board.form()
        typed = {f: form.get(f, "") for f in FoodPickup.__struct_fields__}
        try:
            pickup = pages.form_as(typed | {"car_needed": bool(typed["car_needed"])}, FoodPickup)
            change = ActivityChange(food_pickup=pickup, place_id=pickup.pickup_place_id)
            await series_changes.change_series(board.conn, board.clock, board.access, activity_id, change)
        except ProblemError as refused:
            return await self._part_refused(board, activity_id, refused, pickup=typed)
        return SECTIONS.saved(activity_id, "pickup")
