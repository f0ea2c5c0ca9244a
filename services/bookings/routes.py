from __future__ import annotations

from litestar import Controller, Request, get, post, put
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
from services.http import ClockDep, Conn, OrgAccess, PathId, PublicBase, Routes, WindowAsked


class BookingController(Controller):
    """Rooms borrowed from partners: venues, requests and the partners' answers."""

    tags = ["bookings"]
    path = "/"

    @post("/venues", summary="Register a room of this (partner) organisation")
    async def create_venue(self, conn: Conn, access: OrgAccess, data: JSONBody[VenueCreate]) -> Venue:
        return await venues.create_venue(conn, access, data)

    @get("/venues", summary="Rooms this organisation owns or may borrow")
    async def list_venues(self, conn: Conn, access: OrgAccess) -> list[Venue]:
        return await venues.list_venues(conn, access)

    @post(
        "/booking-requests",
        summary="Ask for a room for one date or every date of a series in a period (coordinators)",
    )
    async def ask_for_room(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        data: JSONBody[BookingAsk],
        public_base: PublicBase,
    ) -> BookingRequest:
        return await service.ask(conn, clock, access, data, public_base)

    @get("/booking-requests", summary="This organisation's room requests, newest first")
    async def list_booking_requests(self, conn: Conn, access: OrgAccess) -> list[BookingRequest]:
        return await service.list_requests(conn, access)

    @get("/booking-requests/{request_id:int}", summary="A room request with the state of each date")
    async def get_booking_request(self, conn: Conn, access: OrgAccess, request_id: PathId) -> BookingRequest:
        return await service.get_request(conn, access, request_id)

    @get("/room-problems", summary="Dates whose room was declined and have no other")
    async def list_room_problems(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, window: WindowAsked
    ) -> list[RoomProblem]:
        start, end = window.span(weeks=26)
        return await service.room_problems(conn, access, start, end)

    @get(
        "/incoming-bookings",
        summary="Dates asked of this partner's rooms that wait for an answer (partner contacts)",
    )
    async def list_incoming_bookings(
        self, conn: Conn, clock: ClockDep, access: OrgAccess
    ) -> list[IncomingBooking]:
        return await answers.incoming(conn, clock, access)

    @put(
        "/bookings/{booking_id:int}/answer",
        summary="Confirm or decline one date asked of your room (partner contacts)",
    )
    async def answer_booking(
        self,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        booking_id: PathId,
        data: JSONBody[BookingAnswer],
    ) -> Booking:
        return await answers.answer_as_partner(conn, clock, access, booking_id, data.answer == "confirm")


ROUTES = Routes(organisation=(BookingController,))
