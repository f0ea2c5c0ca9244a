"""Venues lent by partners, booking requests and the per-date bookings they answer."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

import msgspec

from schemas.common import Id, Name

BookingStatus = Literal["requested", "confirmed", "declined", "cancelled"]


class VenueCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Name
    address: Annotated[str, msgspec.Meta(max_length=500)] = ""
    protected: bool = False
    capacity: Annotated[int, msgspec.Meta(ge=1, le=10000)] | None = None
    accessibility: Annotated[str, msgspec.Meta(max_length=2000)] = ""
    house_rules: Annotated[str, msgspec.Meta(max_length=4000)] = ""
    # People of this (partner) organisation who answer for the room, by SMS or its page.
    contacts: Annotated[list[Id], msgspec.Meta(max_length=20)] = []
    # Organisations that may ask for the room.
    lent_to: Annotated[list[Id], msgspec.Meta(max_length=50)] = []


class Venue(msgspec.Struct):
    id: Id
    organisation_id: Id
    organisation_name: str
    name: str
    address: str  # "address from the venue" for borrowers when protected
    protected: bool
    capacity: int | None
    accessibility: str
    house_rules: str
    contacts: list[Id]  # only the owner sees who they are
    lent_to: list[Id]


class BookingAsk(msgspec.Struct, forbid_unknown_fields=True):
    """Ask for a room for one occurrence, or for every scheduled date of the series in a period."""

    activity_id: Id
    venue_id: Id
    occurrence_id: Id | None = None
    from_date: date | None = None
    to_date: date | None = None


class Booking(msgspec.Struct):
    id: Id
    occurrence_id: Id
    local_date: date
    starts_at: datetime
    ends_at: datetime
    status: BookingStatus
    answered_at: datetime | None
    answered_via: str | None
    change: str | None  # moved / cancelled on the borrower's side


class BookingRequest(msgspec.Struct):
    id: Id
    activity_id: Id
    title: str
    venue_id: Id
    venue_name: str
    code: str
    created_at: datetime
    bookings: list[Booking]


class BookingAnswer(msgspec.Struct, forbid_unknown_fields=True):
    answer: Literal["confirm", "decline"]


class IncomingBooking(msgspec.Struct):
    """A date asked of one of the partner's rooms, waiting for an answer."""

    id: Id
    request_id: Id
    local_date: date
    starts_at: datetime
    ends_at: datetime
    title: str
    venue_name: str
    borrower_name: str


class RoomProblem(msgspec.Struct):
    """An occurrence that has no room: its request was declined or cancelled by the partner."""

    occurrence_id: Id
    activity_id: Id
    title: str
    local_date: date
    starts_at: datetime
    venue_name: str
    status: BookingStatus
    detail: str
