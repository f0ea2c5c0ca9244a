from __future__ import annotations

from litestar import Controller, get, post, put
from litestar.params import JSONBody

from schemas.bookings import (
    Booking,
    BookingAnswer,
    BookingAsk,
    BookingRequest,
    IncomingBooking,
    RoomProblem,
    Venue,
    VenueCreate,
)
from services.bookings import answers, service, venues
from services.http import Api, PathId, Routes, WindowAsked


class BookingController(Controller):
    """Rooms borrowed from partners: venues, requests and the partners' answers."""

    tags = ["bookings"]
    path = "/"

    @post("/venues", summary="Register a room of this (partner) organisation")
    async def create_venue(self, api: Api, data: JSONBody[VenueCreate]) -> Venue:
        return await venues.create_venue(api.conn, api.access, data)

    @get("/venues", summary="Rooms this organisation owns or may borrow")
    async def list_venues(self, api: Api) -> list[Venue]:
        return await venues.list_venues(api.conn, api.access)

    @post(
        "/booking-requests",
        summary="Ask for a room for one date or every date of a series in a period (coordinators)",
    )
    async def ask_for_room(self, api: Api, data: JSONBody[BookingAsk]) -> BookingRequest:
        return await service.ask(api.conn, api.clock, api.access, data, api.public_base)

    @get("/booking-requests", summary="This organisation's room requests, newest first")
    async def list_booking_requests(self, api: Api) -> list[BookingRequest]:
        return await service.list_requests(api.conn, api.access)

    @get("/booking-requests/{request_id:int}", summary="A room request with the state of each date")
    async def get_booking_request(self, api: Api, request_id: PathId) -> BookingRequest:
        return await service.get_request(api.conn, api.access, request_id)

    @get("/room-problems", summary="Dates whose room was declined and have no other")
    async def list_room_problems(self, api: Api, window: WindowAsked) -> list[RoomProblem]:
        start, end = window.span(weeks=26)
        return await service.room_problems(api.conn, api.access, start, end)

    @get(
        "/incoming-bookings",
        summary="Dates asked of this partner's rooms that wait for an answer (partner contacts)",
    )
    async def list_incoming_bookings(self, api: Api) -> list[IncomingBooking]:
        return await answers.incoming(api.conn, api.clock, api.access)

    @put(
        "/bookings/{booking_id:int}/answer",
        summary="Confirm or decline one date asked of your room (partner contacts)",
    )
    async def answer_booking(self, api: Api, booking_id: PathId, data: JSONBody[BookingAnswer]) -> Booking:
        return await answers.answer_as_partner(
            api.conn, api.clock, api.access, booking_id, data.answer == "confirm"
        )


ROUTES = Routes(organisation=(BookingController,))
