"""A volunteer's own page: her shifts (the next 8 weeks, the past month greyed), the open shifts she
could take, the full ones she can watch, and each shift on its own page (where her calendar's
events lead). Every action calls the same service as the API, acting as her in the organisation
the shift belongs to (or shares it)."""

from __future__ import annotations

from datetime import datetime
from itertools import groupby
from typing import Annotated
from zoneinfo import ZoneInfo

from litestar import Response, get, post
from litestar.params import QueryParameter
from litestar.response import Redirect, Template

from schemas.scheduling import Occurrence
from services.access.service import Access
from services.assignments import left, watches
from services.assignments import own as own_shifts
from services.assignments import service as assignments
from services.bookings import contacts as room_contacts
from services.bookings import dates as booking_dates
from services.checkins import service as checkins
from services.http import PathId
from services.my.session import ME, Me, MePages
from services.people import service as people
from services.places import service as places
from services.problems import NotFound
from services.rota import swaps

WEEKS_AHEAD = 8
FIRST_OPEN = 10  # open shifts on her first page; the rest are a tap away (a phone screen is short)
OPEN_PER_PAGE = 15  # on the page of all open shifts, grouped by week


def _not_found() -> NotFound:
    return NotFound("There is no such shift.", code="occurrence-not-found")


async def _shown_places(conn, access: Access, shifts) -> dict[int, object]:
    """Each place once, as she may see it (a protected address: "from your coordinator")."""
    ids = {s.place_id for s in shifts} | {s.dropoff_place_id for s in shifts}
    return {i: await places.shown(conn, i, access) for i in ids if i is not None}


async def _open_and_full(conn, clock, access: Access) -> tuple[list, list]:
    """(organisation, occurrence, role ids): the shifts she could take now, and the full ones she
    could watch (one with a role still open is only among the first). A shared shift shows once,
    taken through its own organisation where she is in it."""
    taking: dict[int, tuple[int, object, list[int]]] = {}
    watching: dict[int, tuple[int, object, list[int]]] = {}
    for organisation_id, acting in (
        await own_shifts.as_volunteer(conn, access.person_id, access.language)
    ).items():
        both = await own_shifts.open_and_full_places(conn, clock, acting, WEEKS_AHEAD)
        for found, offered in zip((taking, watching), both, strict=True):
            for occurrence, role_ids in offered:
                if occurrence.id not in found or occurrence.organisation_id == organisation_id:
                    found[occurrence.id] = (organisation_id, occurrence, role_ids)
    full = [offer for offer in watching.values() if offer[1].id not in taking]
    return sorted(taking.values(), key=_starts), sorted(full, key=_starts)


def _starts(offer: tuple[int, Occurrence, list[int]]) -> datetime:
    return offer[1].starts_at


def _short(name: str) -> str:
    """A colleague as volunteers know each other: first name and initial ("Sara D.")."""
    first, _, rest = name.partition(" ")
    return f"{first} {rest[0]}." if rest else first


async def _swaps(conn, access: Access) -> dict:
    """Shifts colleagues offer her (to her or to anyone), and whom she can offer hers to, by
    organisation."""
    offered, colleagues = {}, {}
    for organisation_id, acting in (
        await own_shifts.as_volunteer(conn, access.person_id, access.language)
    ).items():
        for offer in await swaps.open_offers(conn, acting):
            if offer.offered_by != access.person_id:
                offered.setdefault(offer.id, (organisation_id, offer))
        colleagues[organisation_id] = [
            (c.id, _short(c.display_name)) for c in await swaps.colleagues(conn, acting)
        ]
    return {"offered_to_me": sorted(offered.values(), key=lambda o: o[1].starts_at), "colleagues": colleagues}


async def _mine(conn, clock, access: Access) -> dict:
    shifts = await own_shifts.shifts_of(conn, clock, access.person_id, WEEKS_AHEAD)
    return {
        "shifts": shifts,
        "places": await _shown_places(conn, access, shifts),
        "check_ins": await checkins.states(conn, [s.occurrence_id for s in shifts]),
        "now": clock.now(),
    }


async def _acting(conn, access: Access, organisation_id: int) -> Access:
    """Her, as a volunteer of the organisation a form names; not one of hers: not found."""
    acting = (await own_shifts.as_volunteer(conn, access.person_id, access.language)).get(organisation_id)
    if acting is None:
        raise _not_found()
    return acting


def _form_id(form, name: str) -> int:
    try:
        value = int(str(form.get(name, "")))
    except ValueError:
        raise _not_found() from None
    if not 0 < value < 2**63:
        raise _not_found()
    return value


async def _rooms_waiting(conn, clock, access: Access) -> int:
    """For a partner contact who also volunteers: how many room dates wait for her answer."""
    if "partner_contact" not in access.roles:
        return 0
    return len(
        booking_dates.still_waiting(
            await room_contacts.dates_for_contact(conn, clock, access.person_id), clock.now()
        )
    )


class MeController(MePages):
    path = ME

    @get("/")
    async def my_page(self, me: Me) -> Template:
        open_shifts, full_shifts = await _open_and_full(me.conn, me.clock, me.access)
        person = await people.get_person(me.conn, me.access, me.access.person_id)
        return await me.page(
            "my/me.html",
            first_name=person.display_name.split(" ")[0],
            rooms_waiting=await _rooms_waiting(me.conn, me.clock, me.access),
            undoable=await left.undoable(me.conn, me.clock, me.access.person_id),
            **await _mine(me.conn, me.clock, me.access),
            open_shifts=open_shifts[:FIRST_OPEN],
            more_open=max(len(open_shifts) - FIRST_OPEN, 0),
            full_shifts=full_shifts,
            watched=await watches.watched(me.conn, me.access.person_id),
            **await _swaps(me.conn, me.access),
        )

    @get("/open")
    async def all_open_shifts(
        self, me: Me, page_asked: Annotated[int, QueryParameter(name="page", ge=1, le=1000)] = 1
    ) -> Template:
        """Every open shift she could take, by week, a page of them at a time (her first page
        shows the first ten)."""
        open_shifts, _full = await _open_and_full(me.conn, me.clock, me.access)
        pages_in_all = max((len(open_shifts) + OPEN_PER_PAGE - 1) // OPEN_PER_PAGE, 1)
        page = min(page_asked, pages_in_all)
        shown = open_shifts[(page - 1) * OPEN_PER_PAGE : page * OPEN_PER_PAGE]
        by_week = groupby(
            shown, lambda offer: offer[1].starts_at.astimezone(ZoneInfo(offer[1].time_zone)).isocalendar()[:2]
        )
        return await me.page(
            "my/my_open.html",
            weeks=[(week, list(offers)) for (_year, week), offers in by_week],
            page=page,
            pages_in_all=pages_in_all,
        )

    @get("/shifts/{occurrence_id:int}")
    async def shift(self, me: Me, occurrence_id: PathId) -> Template:
        """One shift: hers, or one she could take or watch; anything else is not found."""
        mine = await _mine(me.conn, me.clock, me.access)
        mine["shifts"] = [s for s in mine["shifts"] if s.occurrence_id == occurrence_id]
        every_open, every_full = await _open_and_full(me.conn, me.clock, me.access)
        open_shifts = [f for f in every_open if f[1].id == occurrence_id]
        full_shifts = [f for f in every_full if f[1].id == occurrence_id]
        if not (mine["shifts"] or open_shifts or full_shifts):
            raise _not_found()
        return await me.page(
            "my/me_shift.html",
            **mine,
            **await _swaps(me.conn, me.access),
            open_shifts=open_shifts,
            full_shifts=full_shifts,
            watched=await watches.watched(me.conn, me.access.person_id),
        )

    @post("/take")
    async def take(self, me: Me) -> Response:
        """Take a place: the sign-up rules decide, as for the API's sign-up."""
        form = await me.form()
        acting = await _acting(me.conn, me.access, _form_id(form, "organisation_id"))
        occurrence_id = _form_id(form, "occurrence_id")
        await assignments.assign(me.conn, me.clock, acting, occurrence_id, _form_id(form, "role_id"))
        return Redirect(f"{ME}/shifts/{occurrence_id}?taken=1", status_code=303)

    @post("/watch")
    async def watch(self, me: Me) -> Response:
        """Tell me if a place frees up (or, with `stop`, no longer)."""
        form = await me.form()
        acting = await _acting(me.conn, me.access, _form_id(form, "organisation_id"))
        occurrence_id = _form_id(form, "occurrence_id")
        if form.get("stop"):
            await watches.unwatch(me.conn, acting, occurrence_id)
        else:
            await watches.watch(me.conn, me.clock, acting, occurrence_id)
        return Redirect(f"{ME}/shifts/{occurrence_id}", status_code=303)

    @post("/assignments/{assignment_id:int}/cant-come")
    async def cant_come(self, me: Me, assignment_id: PathId) -> Response:
        """I can't come: withdrawn (late after the cut-off, still allowed, and marked); a gap
        appears on the board at once."""
        await me.form()
        acting = await self._owner(me, assignment_id)
        await assignments.end(me.conn, me.clock, acting, assignment_id)
        return Redirect(f"{ME}?withdrawn=1#left-{assignment_id}", status_code=303)

    @post("/assignments/{assignment_id:int}/come-after-all")
    async def come_after_all(self, me: Me, assignment_id: PathId) -> Response:
        """She takes back her "I can't come" before a coordinator has acted on it."""
        await me.form()
        await left.come_after_all(me.conn, me.clock, me.access, assignment_id)
        return Redirect(f"{ME}?back=1#my-shifts", status_code=303)

    @post("/assignments/{assignment_id:int}/offer")
    async def offer(self, me: Me, assignment_id: PathId) -> Response:
        """Offer the shift to a colleague by name (she gets an SMS) or to anyone who may take it;
        she keeps it until someone does."""
        form = await me.form()
        acting = await self._owner(me, assignment_id)
        colleague = _form_id(form, "offered_to") if form.get("offered_to") else None
        await swaps.offer(me.conn, me.clock, acting, assignment_id, colleague)
        return Redirect(f"{ME}?offered=1", status_code=303)

    @post("/offers/{offer_id:int}/withdraw")
    async def take_back(self, me: Me, offer_id: PathId) -> Response:
        await me.form()
        await swaps.withdraw(me.conn, me.access, offer_id)
        return Redirect(ME, status_code=303)

    @post("/offers/{offer_id:int}/take")
    async def take_offer(self, me: Me, offer_id: PathId) -> Response:
        """A colleague's shift taken over: the same rules as any sign-up, all or nothing."""
        form = await me.form()
        acting = await _acting(me.conn, me.access, _form_id(form, "organisation_id"))
        taken = await swaps.take(me.conn, me.clock, acting, offer_id)
        return Redirect(f"{ME}/shifts/{taken.occurrence_id}?taken=1", status_code=303)

    @staticmethod
    async def _owner(me: Me, assignment_id: int) -> Access:
        """Her, acting in the organisation of one of her own shifts."""
        for shift in await own_shifts.shifts_of(me.conn, me.clock, me.access.person_id, WEEKS_AHEAD):
            if shift.id == assignment_id:
                return Access.without_token(
                    me.access.person_id, shift.organisation_id, "volunteer", me.access.language
                )
        raise NotFound("You have no such shift.", code="assignment-not-found")
