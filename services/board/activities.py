"""Activities from the board: the list, and a new series in plain words (kind, title, place,
weekdays and time, every N weeks, until a date or N times, duration, a role with its numbers and
qualification, pickup details). Before saving, the page shows the next dates the series will get;
the service builds the RRULE and checks the series exactly as for the API."""

from __future__ import annotations

from datetime import date, datetime, time
from itertools import zip_longest

from litestar import Response, get, post
from litestar.params import FromQuery
from litestar.response import Template

from schemas.common import FieldError
from schemas.forms import SeriesForm
from schemas.scheduling import ActivityCreate
from services.activities import rules as series_rules
from services.activities import service as activities
from services.activities.kinds import KIND_NAMES
from services.organisations import service as organisations
from services.pages import render as pages
from services.pages.session import Board, BoardPages
from services.pagination import Cursor
from services.places import service as places
from services.problems import NotFound, ProblemError, Unprocessable
from services.qualifications import service as qualifications
from services.timezones import check_wall_clock

# The API contract's fields, and where each stands on the form.
FIELD_ON_FORM = {
    "rrule": "weekdays",
    "start_local": "start_date",
    "roles": "role_name",
    "food_pickup": "donor",
    "rdates": "extra_dates",
    "exdates": "skipped_dates",
    "shared_with": "share_with",
}
# The parts of an activity's page that save on their own; after a save it opens at that part and
# says so (a new activity lands at its top).
SECTIONS = pages.SavedParts(
    "/board/activities/{}", {"series": "activity", "roles": "roles", "pickup": "pickup"}
)
FIELD_OF_CODE = {
    "no-weekdays": "weekdays",
    "both-ends": "until",
    "organisation-not-found": "share_with",
    "not-a-partner": "share_with",
}


def typed_start(day: date, typed: str, time_zone: str) -> datetime:
    """The date at the typed time of day, a time that exists on that day."""
    hour, minute = (int(part) for part in typed.split(":"))
    if hour > 23 or minute > 59:
        raise Unprocessable(
            "start_time: not a time of day.",
            code="bad-form",
            errors=[FieldError(field="start_time", message="not a time of day")],
        )
    start = datetime.combine(day, time(hour, minute))
    check_wall_clock(start, time_zone, "start_time")
    return start


ROLE_FIELDS = ("role_name", "role_min", "role_max", "qualification_type_id")


def _roles(form: SeriesForm) -> list[dict]:
    """The role rows filled in (the first is "volunteer" when left unnamed)."""
    rows = zip_longest(*(getattr(form, field) for field in ROLE_FIELDS), fillvalue="")
    return [
        {
            "name": name.strip() or "volunteer",
            "min_people": low or 1,
            "max_people": high or 2,
            "qualification_type_ids": [qualification] if qualification else [],
        }
        for index, (name, low, high, qualification) in enumerate(rows)
        if index == 0 or name.strip()
    ]


async def partner_named(conn, typed: str) -> list[int]:
    """The organisation a coordinator named by its short name, to share an activity with."""
    if not typed.strip():
        return []
    try:
        return [(await organisations.find_by_slug_or_id(conn, typed.strip())).id]
    except NotFound:
        raise Unprocessable(
            "share_with: no such organisation.",
            code="organisation-not-found",
            errors=[FieldError(field="share_with", message="no such organisation")],
        ) from None


def _contract(form: SeriesForm, time_zone: str, partners: list[int]) -> ActivityCreate:
    """The form in the API's terms, checked by the same contract."""
    start = typed_start(form.start_date, form.start_time, time_zone)
    values = {
        "kind": form.kind,
        "title": form.title,
        "time_zone": time_zone,
        "start_local": start.isoformat(),
        "rdates": [datetime.combine(d, start.time()).isoformat() for d in form.extra_dates],
        "exdates": [datetime.combine(d, start.time()).isoformat() for d in form.skipped_dates],
        "shared_with": partners,
        "duration_minutes": form.duration_minutes,
        "rrule": series_rules.weekly_rule(form.weekdays, form.every_weeks, form.times, form.until),
        # A pickup's place is where it is picked up: the form does not ask it twice.
        "place_id": form.pickup_place_id if form.kind == "food_pickup" else form.place_id,
        "participant_capacity": form.participant_capacity,
        "roles": _roles(form),
    }
    if form.kind == "food_pickup":
        values["food_pickup"] = {
            "donor": form.donor,
            "pickup_place_id": form.pickup_place_id,
            "dropoff_place_id": form.dropoff_place_id,
            "what": form.what,
            "car_needed": form.car_needed,
        }
    return pages.form_as(values, ActivityCreate)


# Every field of the form, empty: what a page shows where nothing was sent.
LISTS = ("weekdays", "extra_dates", "skipped_dates", *ROLE_FIELDS)
BLANK = dict.fromkeys(SeriesForm.__struct_fields__, "") | dict.fromkeys(LISTS, []) | {"car_needed": False}


def _typed(form) -> dict:
    """What was sent, to show the form again as it was."""
    typed = {key: value for key, value in form.items() if key in BLANK}
    lists = {key: form.getall(key, []) for key in LISTS}
    kind = typed.get("kind") if typed.get("kind") in KIND_NAMES else "food_pickup"  # as the empty form
    return BLANK | typed | lists | {"car_needed": form.get("car_needed") == "true", "kind": kind}


class ActivityPageController(BoardPages):
    path = "/board/activities"

    async def _form(self, board: Board, typed: dict, *, preview=None, errors=None, status=200) -> Template:
        return await board.page(
            "board/activity_new.html",
            status=status,
            form=typed,
            preview=preview,
            errors=errors or {},
            places=await places.list_places(board.conn, board.access),
            qualification_types=await qualifications.list_types(board.conn, board.access),
            weekdays=series_rules.WEEKDAYS,
        )

    @get("/")
    async def activities_page(self, board: Board) -> Template:
        listed = (await activities.list_activities(board.conn, board.access, Cursor(0, 200))).items
        return await board.page("board/activities.html", activities=listed)

    @get("/new")
    async def new_activity(self, board: Board, kind: FromQuery[str | None] = None) -> Template:
        board.access.require_coordinator("plan activities")
        today = board.clock.now().date()
        typed = BLANK | {
            "kind": kind if kind in KIND_NAMES else "food_pickup",
            "start_date": today.isoformat(),
            "start_time": "10:00",
            "duration_minutes": 120,
            "every_weeks": 1,
            "role_name": [""],
            "role_min": ["1"],
            "role_max": ["2"],
        }
        return await self._form(board, typed)

    @post("/new")
    async def preview_or_save(self, board: Board) -> Response:
        """ "Show the dates" renders the next dates; "Save" creates the series. Both check it all."""
        form = await board.form()
        organisation = await organisations.get(board.conn, board.access, board.access.organisation_id)
        try:
            values = dict(form.items()) | {key: form.getall(key, []) for key in LISTS}
            values |= {key: [v for v in values[key] if v] for key in ("extra_dates", "skipped_dates")}
            values["car_needed"] = form.get("car_needed") == "true"
            series = pages.form_as(values, SeriesForm)
            data = _contract(
                series, organisation.time_zone, await partner_named(board.conn, series.share_with)
            )
            dates = series_rules.next_dates(data)
            if form.get("save"):
                made = await activities.create(board.conn, board.clock, board.access, data)
                # Her new activity's own page, saying it was saved (not the list's top).
                return SECTIONS.saved(made.id, "series")
        except ProblemError as refused:
            shown = board.refused(refused, FIELD_OF_CODE)
            errors = {FIELD_ON_FORM.get(field, field): words for field, words in shown.errors.items()}
            return await self._form(board, _typed(form), errors=errors, status=shown.status)
        return await self._form(board, _typed(form), preview=dates)
