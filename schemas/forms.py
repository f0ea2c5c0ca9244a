"""What the pages' forms post, checked by msgspec like any other input (numbers arrive as text)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

import msgspec

from schemas.common import Id, Language
from schemas.scheduling import ActivityKind


class SignInForm(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(max_length=200)] = ""


class LanguageForm(msgspec.Struct):
    to: Language
    back: Annotated[str, msgspec.Meta(max_length=2000)] = "/board"
    form_key: Annotated[str, msgspec.Meta(max_length=200)] = ""  # this browser's, see pages.FormCookie


class AskForm(msgspec.Struct):
    people: Annotated[int, msgspec.Meta(ge=1, le=50)] = 3
    answer_within_minutes: Annotated[int, msgspec.Meta(ge=5, le=10080)] = 180


class PeriodForm(msgspec.Struct):
    start: date
    end: date


class RoomForm(msgspec.Struct):
    activity_id: Id
    occurrence_id: Id
    venue_id: Id


class RoomRequestForm(msgspec.Struct):
    """A room asked for every date of a series in a period."""

    activity_id: Id
    venue_id: Id
    from_date: date
    to_date: date


class AssignForm(msgspec.Struct):
    role_id: Id
    person_id: Id


class CancelForm(msgspec.Struct):
    # Why, in a few words: the SMS to the people on the date says it. Empty: no reason given.
    reason: Annotated[str, msgspec.Meta(max_length=100)] = ""


class MoveForm(msgspec.Struct):
    # The wall-clock time in the activity's zone, as <input type=datetime-local> sends it.
    start_local: Annotated[str, msgspec.Meta(pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")]
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]
    place_id: Id | None = None  # left out: the place stays


class SeriesForm(msgspec.Struct):
    """A new series in plain words; the service turns the weekdays and the end into an RRULE."""

    kind: ActivityKind
    title: str
    start_date: date
    start_time: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]
    weekdays: list[str] = []
    every_weeks: Annotated[int, msgspec.Meta(ge=1, le=8)] = 1
    until: date | None = None
    times: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    place_id: Id | None = None
    # One row per role; the contract (ActivityCreate) checks the numbers.
    role_name: Annotated[list[Annotated[str, msgspec.Meta(max_length=100)]], msgspec.Meta(max_length=6)] = []
    role_min: Annotated[list[str], msgspec.Meta(max_length=6)] = []
    role_max: Annotated[list[str], msgspec.Meta(max_length=6)] = []
    qualification_type_id: Annotated[list[str], msgspec.Meta(max_length=6)] = []
    participant_capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    extra_dates: Annotated[list[date], msgspec.Meta(max_length=100)] = []
    skipped_dates: Annotated[list[date], msgspec.Meta(max_length=100)] = []
    share_with: Annotated[str, msgspec.Meta(max_length=64)] = ""
    donor: str = ""
    pickup_place_id: Id | None = None
    dropoff_place_id: Id | None = None
    what: str = ""
    car_needed: bool = False


class SeriesChangeForm(msgspec.Struct):
    """A change to a series in plain words, for the whole series or from a date on."""

    scope: Literal["series", "following"]
    title: str
    start_time: Annotated[str, msgspec.Meta(pattern=r"^\d{2}:\d{2}$")]
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]
    from_date: date | None = None
    weekdays: list[str] = []
    every_weeks: Annotated[int, msgspec.Meta(ge=1, le=8)] = 1
    until: date | None = None
    times: Annotated[int, msgspec.Meta(ge=1, le=500)] | None = None
    place_id: Id | None = None
    participant_capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    extra_dates: Annotated[list[date], msgspec.Meta(max_length=100)] = []
    skipped_dates: Annotated[list[date], msgspec.Meta(max_length=100)] = []
    shared_with: Annotated[list[Id], msgspec.Meta(max_length=20)] = []
    share_with: Annotated[str, msgspec.Meta(max_length=64)] = ""


class ReportLinkForm(msgspec.Struct):
    """A read-only link to a month's report; names of volunteers only when ticked."""

    month: Annotated[str, msgspec.Meta(max_length=7)]
    days: int = 30
    names: bool = False


class LimitsForm(msgspec.Struct):
    """Reminder times in hours before a shift ("24, 2"; empty: the organisation's), and the most
    hours a month."""

    reminder_hours: Annotated[
        str, msgspec.Meta(pattern=r"^\s*(\d{1,3}(\.\d)?\s*(,\s*\d{1,3}(\.\d)?\s*){0,4})?$")
    ] = ""
    no_reminders: bool = False
    max_hours_per_month: Annotated[int, msgspec.Meta(ge=0, le=744)] | None = None


class PhoneForm(msgspec.Struct):
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""


class CodeForm(msgspec.Struct):
    phone: Annotated[str, msgspec.Meta(max_length=40)] = ""
    code: Annotated[str, msgspec.Meta(max_length=20)] = ""


class MyPhoneForm(msgspec.Struct):
    """Her new number, as she writes it at home (070-…); it counts once the code texted to it is back."""

    phone: Annotated[str, msgspec.Meta(min_length=1, max_length=40)]


class MyPhoneCodeForm(msgspec.Struct):
    code: Annotated[str, msgspec.Meta(pattern=r"^\s*\d{6}\s*$")]


class MySettingsForm(msgspec.Struct):
    """A volunteer's own settings: her language, SMS on or off, reminder times in hours."""

    language: Language = "en"
    sms_consent: bool = False
    reminder_hours: Annotated[
        str, msgspec.Meta(pattern=r"^\s*(\d{1,3}(\.\d)?\s*(,\s*\d{1,3}(\.\d)?\s*){0,4})?$")
    ] = ""


class InboxAnswerForm(msgspec.Struct):
    # Two SMS segments at the most (UCS-2 for Czech): what a coordinator writes back.
    words: Annotated[str, msgspec.Meta(min_length=1, max_length=300)]
