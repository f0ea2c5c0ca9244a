"""Places, activities (series), occurrences, assignments, staffing and hours."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Literal

import msgspec

from schemas.common import Id, Name, TimeZone

ActivityKind = Literal["food_pickup", "venue_loan", "outing", "outreach_visit", "group_meeting", "other"]
StaffingState = Literal["short", "ok", "full"]
Attendance = Literal["attended", "no_show"]
Text = Annotated[str, msgspec.Meta(max_length=4000)]
Count = Annotated[int, msgspec.Meta(ge=0, le=100)]


# --- places -----------------------------------------------------------------------------------


class Place(msgspec.Struct):
    id: Id
    name: str
    address: str  # "address from your coordinator" (in the reader's language) when protected
    protected: bool
    latitude: float | None
    longitude: float | None


class PlaceCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    protected: bool = False
    latitude: Annotated[float, msgspec.Meta(ge=-90, le=90)] | None = None
    longitude: Annotated[float, msgspec.Meta(ge=-180, le=180)] | None = None


# --- activities -------------------------------------------------------------------------------


class RoleSpec(msgspec.Struct, forbid_unknown_fields=True):
    """A role an activity needs, e.g. 2 drivers with a driving licence."""

    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]
    min_people: Count = 1
    max_people: Annotated[int, msgspec.Meta(ge=1, le=100)] = 1
    qualification_type_ids: list[Id] = []


class Role(msgspec.Struct):
    id: Id
    name: str
    min_people: int
    max_people: int
    qualification_type_ids: list[Id]


class FoodPickup(msgspec.Struct, forbid_unknown_fields=True):
    donor: Annotated[str, msgspec.Meta(max_length=200)] = ""
    pickup_place_id: Id | None = None
    dropoff_place_id: Id | None = None
    what: Annotated[str, msgspec.Meta(max_length=500)] = ""
    car_needed: bool = False


LocalDateTime = Annotated[datetime, msgspec.Meta(tz=False, description="local wall-clock time, no offset")]


class ActivityCreate(msgspec.Struct, forbid_unknown_fields=True):
    kind: ActivityKind
    title: Name
    time_zone: TimeZone
    start_local: LocalDateTime
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)]
    roles: Annotated[list[RoleSpec], msgspec.Meta(min_length=1, max_length=20)]
    description: Text = ""
    rrule: Annotated[str, msgspec.Meta(max_length=500, examples=["FREQ=WEEKLY;BYDAY=TU,FR"])] | None = None
    rdates: list[LocalDateTime] = []
    exdates: list[LocalDateTime] = []
    place_id: Id | None = None
    food_pickup: FoodPickup | None = None
    participant_capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    shared_with: list[Id] = []


class ActivityChange(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """A change to the whole series (or, with /split, to this and the following occurrences).
    Fields left out stay as they are."""

    title: Name | None = None
    description: Text | None = None
    start_local: LocalDateTime | None = None
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)] | None = None
    rrule: Annotated[str, msgspec.Meta(max_length=500)] | None = None
    rdates: list[LocalDateTime] | None = None
    exdates: list[LocalDateTime] | None = None
    place_id: Id | None = None
    participant_capacity: Annotated[int, msgspec.Meta(ge=0, le=1000)] | None = None
    shared_with: list[Id] | None = None
    food_pickup: FoodPickup | None = None  # a food pickup's details, replaced as a whole


class SplitRequest(msgspec.Struct, forbid_unknown_fields=True):
    from_date: date
    change: ActivityChange


class Activity(msgspec.Struct):
    id: Id
    organisation_id: Id
    kind: ActivityKind
    title: str
    description: str
    time_zone: str
    start_local: datetime
    duration_minutes: int
    rrule: str | None
    rdates: list[datetime]
    exdates: list[datetime]
    ends_on: date | None
    place_id: Id | None
    food_pickup: FoodPickup | None
    participant_capacity: int | None
    shared_with: list[Id]
    roles: list[Role]
    split_from: int | None


# --- occurrences and staffing -----------------------------------------------------------------


class OccurrenceChange(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Edit one occurrence: move it, change its place, cancel or restore it."""

    start_local: LocalDateTime | None = None
    duration_minutes: Annotated[int, msgspec.Meta(ge=1, le=10080)] | None = None
    place_id: Id | None = None
    status: Literal["scheduled", "cancelled"] | None = None
    # Why it is cancelled, in a few words: the text to the people on it says it.
    reason: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class RoleStaffing(msgspec.Struct):
    role_id: Id
    name: str
    min_people: int
    max_people: int
    taken: int
    state: StaffingState
    people: list[Id]


class Occurrence(msgspec.Struct):
    id: Id
    activity_id: Id
    organisation_id: Id
    kind: ActivityKind
    title: str
    local_date: date
    starts_at: datetime
    ends_at: datetime
    start_local: datetime
    time_zone: str
    status: Literal["scheduled", "cancelled"]
    sequence: int
    place: Place | None
    state: StaffingState
    roles: list[RoleStaffing]


# --- assignments ------------------------------------------------------------------------------


class SignUp(msgspec.Struct, forbid_unknown_fields=True):
    role_id: Id


class Assign(msgspec.Struct, forbid_unknown_fields=True):
    role_id: Id
    person_id: Id


class Deactivated(msgspec.Struct):
    """A volunteer who left: how many of their coming shifts were freed (each now a gap)."""

    shifts_freed: int


class Assignment(msgspec.Struct):
    id: Id
    occurrence_id: Id
    role_id: Id
    person_id: Id
    status: Literal["active", "withdrawn", "removed"]
    source: Literal["signup", "assigned"]
    late: bool
    attendance: Attendance | None
    starts_at: datetime
    ends_at: datetime
    title: str
    code: str  # what her SMS answers carry for this shift ("NEJ 4821")


class AttendanceMark(msgspec.Struct, forbid_unknown_fields=True):
    attendance: Attendance


# --- availability -----------------------------------------------------------------------------


class WeeklySlot(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=1, le=7, description="ISO weekday, 1 = Monday")]
    start_local: time
    end_local: time


class Blackout(msgspec.Struct, forbid_unknown_fields=True):
    starts_at: Annotated[datetime, msgspec.Meta(tz=True)]
    ends_at: Annotated[datetime, msgspec.Meta(tz=True)]
    note: Annotated[str, msgspec.Meta(max_length=200)] = ""


class Availability(msgspec.Struct, forbid_unknown_fields=True):
    weekly: Annotated[list[WeeklySlot], msgspec.Meta(max_length=50)] = []
    blackouts: Annotated[list[Blackout], msgspec.Meta(max_length=100)] = []


# --- hours ------------------------------------------------------------------------------------


class PersonMonth(msgspec.Struct):
    """One person's attended hours in a month."""

    month: str
    hours: float
    occurrences: int


class HoursRow(msgspec.Struct):
    month: str
    kind: ActivityKind
    hours: float
    occurrences: int
    volunteers: int


class HoursReport(msgspec.Struct):
    organisation_id: Id
    month: str
    rows: list[HoursRow]
    total_hours: float


class OpenOccurrence(msgspec.Struct):
    occurrence: Occurrence
    open_role_ids: list[Id]


class CheckInWindow(msgspec.Struct, forbid_unknown_fields=True):
    """Minutes after an outreach visit ends before the on-duty coordinators are alerted; null on
    an activity means the organisation's."""

    minutes: Annotated[int, msgspec.Meta(ge=5, le=720)] | None = None


class OnDuty(msgspec.Struct, forbid_unknown_fields=True):
    on_duty: bool
