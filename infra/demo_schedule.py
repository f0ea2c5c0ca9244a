"""The demo's week: recurring work from BRIEF.md, dated from today so the demo never goes stale.

Weekly food pickups Tuesday and Friday, a weekly group meeting in a congregation's room, an outing,
a weekly parlour outreach visit in pairs, a street-outreach plan a municipal team shares with an
NGO, Czech group blocks, Oslo self-help groups, and volunteer-friend meetings that need the three
qualifications. A few sign-ups make the staffing view show short, ok and full shifts.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from schemas.bookings import BookingAsk, VenueCreate
from schemas.scheduling import ActivityCreate, FoodPickup, PlaceCreate, RoleSpec
from services.access.service import Access
from services.activities import service as activities
from services.activities.queries import queries as activity_queries
from services.assignments import service as assignments
from services.bookings import service as bookings
from services.bookings import venues
from services.bookings.queries import queries as booking_queries
from services.clock import Clock, FixedClock
from services.db import rows
from services.occurrences.queries import queries as occurrence_queries
from services.partnerships import service as partnerships
from services.people.queries import queries as people_queries
from services.places import service as places
from services.problems import ProblemError
from services.qualifications import service as qualifications

WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]

PLACES = {
    "malmo-shelter": [
        PlaceCreate(name="The shelter", address="(protected: ask the coordinator)", protected=True),
        PlaceCreate(name="Bageriet Exempel", address="Exempelgatan 12, Malmö"),
        PlaceCreate(name="Parish hall, S:t Exempel", address="Kyrkovägen 3, Malmö"),
        PlaceCreate(name="Slottsparken", address="Slottsparken, Malmö"),
    ],
    "oslo-groups": [PlaceCreate(name="Activity room", address="Eksempelgata 5, Oslo")],
    "cz-women": [PlaceCreate(name="Komunitní centrum Praha", address="Ukázková 8, Praha")],
}


def _next(today: date, weekday: str, at: time) -> datetime:
    days = (WEEKDAYS.index(weekday) - today.weekday()) % 7
    return datetime.combine(today + timedelta(days=days), at)


def _role(name: str, low: int, high: int, *needs: str) -> tuple[str, int, int, tuple[str, ...]]:
    return (name, low, high, needs)


# slug, title, kind, first weekday(s), local time, minutes, rrule extra, roles, extras
ACTIVITIES = [
    (
        "malmo-shelter",
        "Bread and vegetables from Bageriet Exempel",
        "food_pickup",
        "TU,FR",
        time(10),
        120,
        "",
        [_role("driver", 1, 2, "Driving licence")],
        {
            "food_pickup": (
                "Bageriet Exempel",
                "Bageriet Exempel",
                "The shelter",
                "bread, vegetables, fruit, cakes",
            ),
            "place": "Bageriet Exempel",
            # Begun two weeks ago, with drivers on its past dates: attendance and the month's
            # report can be tried at once.
            "weeks_before": 2,
        },
    ),
    (
        # A one-off for tomorrow, whatever day the demo starts: the gap board's walk-through
        # (docs/features/rota-gaps.md) withdraws its driver and finds cover.
        "malmo-shelter",
        "Extra pickup from Matbanken Exempel",
        "food_pickup",
        "",
        time(10),
        90,
        None,
        [_role("driver", 1, 1, "Driving licence")],
        {
            "food_pickup": ("Matbanken Exempel", "Bageriet Exempel", "The shelter", "dry food, tins"),
            "place": "Bageriet Exempel",
            "days_ahead": 1,
        },
    ),
    (
        "malmo-shelter",
        "Women's group in the parish hall",
        "group_meeting",
        "WE",
        time(18),
        90,
        "",
        [_role("facilitator", 1, 1), _role("peer consultant", 0, 1)],
        {"participants": 10, "place": "Parish hall, S:t Exempel"},
    ),
    (
        "malmo-shelter",
        "Parlour outreach",
        "outreach_visit",
        "TH",
        time(19),
        150,
        "",
        [_role("outreach worker", 2, 3, "Outreach training", "Confidentiality agreement")],
        {},
    ),
    (
        "malmo-shelter",
        "Outing to Slottsparken with the children",
        "outing",
        "SA",
        time(11),
        240,
        None,
        [_role("volunteer", 2, 4)],
        {"place": "Slottsparken", "weeks_ahead": 2},
    ),
    (
        "uppsala-outreach",
        "Street outreach with partners",
        "outreach_visit",
        "MO,TH",
        time(20),
        180,
        "",
        [_role("outreach worker", 2, 4, "Outreach training")],
        {"shared_with": ["uppsala-ngo"]},
    ),
    (
        "cz-women",
        "Skupinové setkání Praha",
        "group_meeting",
        "TU",
        time(17),
        120,
        ";COUNT=16",
        [
            _role("facilitátorka", 1, 1, "Facilitator training"),
            _role("peer konzultantka", 1, 1, "Peer consultant training"),
        ],
        {"participants": 10, "place": "Komunitní centrum Praha"},
    ),
    (
        # The parish's own evening holds its hall on the women's group's third Wednesday: the
        # date a request for the term will find taken.
        "malmo-parish",
        "Parish council evening",
        "other",
        "WE",
        time(18, 30),
        90,
        None,
        [_role("host", 0, 1)],
        {"weeks_ahead": 2},
    ),
    *(  # Oslo's cooking and sewing groups meet alike
        (
            "oslo-groups",
            title,
            "group_meeting",
            weekday,
            time(17),
            120,
            "",
            [_role("gruppeleder", 1, 2, "Confidentiality agreement")],
            {"participants": 10, "place": "Activity room"},
        )
        for title, weekday in (("Matlagingsgruppe", "MO"), ("Sygruppe", "TH"))
    ),
    (
        "oslo-friends",
        "Venneprogram: møte med venn",
        "other",
        "WE",
        time(16),
        90,
        "",
        [
            _role(
                "volunteer friend", 1, 1, "12-hour course", "Police certificate", "Confidentiality agreement"
            )
        ],
        {},
    ),
]


async def load(conn: asyncpg.Connection, clock: Clock, ids: dict[str, int]) -> None:
    """Create the demo schedule where it is missing (matched by title), with a few sign-ups."""
    for slug, drafts in PLACES.items():
        coordinator = await _coordinator(conn, ids[slug])
        known = {p.name for p in await places.list_places(conn, coordinator)}
        for draft in drafts:
            if draft.name not in known:
                await places.create(conn, coordinator, draft)
    await _partners(conn, clock, ids)
    for slug, title, kind, days, at, minutes, rule, roles, extras in ACTIVITIES:
        if await activity_queries.find_by_title(conn, organisation_id=ids[slug], title=title):
            continue
        coordinator = await _coordinator(conn, ids[slug])
        type_ids = {q.name: q.id for q in await qualifications.list_types(conn, coordinator)}
        place_ids = {p.name: p.id for p in await places.list_places(conn, coordinator)}
        zone = (
            await rows(
                people_queries.list_members(
                    conn, organisation_id=ids[slug], after_id=0, limit=1, search=None, digits=""
                )
            )
        )[0]["time_zone"]
        ahead = extras.get("weeks_ahead", 0) - extras.get("weeks_before", 0)
        today = clock.now().astimezone(ZoneInfo(zone)).date() + timedelta(weeks=ahead)
        pickup = extras.get("food_pickup")
        data = ActivityCreate(
            kind=kind,
            title=title,
            time_zone=zone,
            start_local=datetime.combine(today + timedelta(days=extras["days_ahead"]), at)
            if "days_ahead" in extras
            else _next(today, days.split(",")[0], at),
            duration_minutes=minutes,
            rrule=None if rule is None else f"FREQ=WEEKLY;BYDAY={days}{rule}",
            roles=[
                RoleSpec(name, low, high, [type_ids[n] for n in needs]) for name, low, high, needs in roles
            ],
            place_id=place_ids.get(extras.get("place", "")),
            participant_capacity=extras.get("participants"),
            shared_with=[ids[s] for s in extras.get("shared_with", [])],
            food_pickup=None
            if pickup is None
            else FoodPickup(
                donor=pickup[0],
                pickup_place_id=place_ids[pickup[1]],
                dropoff_place_id=place_ids[pickup[2]],
                what=pickup[3],
                car_needed=True,
            ),
        )
        began = FixedClock(clock.now() - timedelta(weeks=extras.get("weeks_before", 0)))
        activity = await activities.create(conn, began, coordinator, data)
        if began.now() < clock.now():
            await _sign_up_some(conn, began, ids[slug], activity)
        await _sign_up_some(conn, clock, ids[slug], activity)
    await _rooms(conn, clock, ids)


VENUES = [
    VenueCreate(
        name="Parish hall",
        address="Kyrkovägen 3, Malmö",
        capacity=40,
        accessibility="Step-free entrance from the courtyard; accessible toilet.",
        house_rules="Stack the chairs afterwards and lock the side door.",
    ),
    VenueCreate(name="Small meeting room", address="Kyrkovägen 3, Malmö", capacity=12),
]


async def _rooms(conn: asyncpg.Connection, clock: Clock, ids: dict[str, int]) -> None:
    """The parish's two rooms, lent to the Malmö shelter, with Birgitta answering for them; its own
    council evening confirmed in the hall."""
    owner = await _coordinator(conn, ids["malmo-parish"])
    known = {v.name: v.id for v in await venues.list_venues(conn, owner)}
    for draft in VENUES:
        if draft.name not in known:
            venue = await venues.create_venue(
                conn,
                owner,
                msgspec.structs.replace(draft, contacts=[owner.person_id], lent_to=[ids["malmo-shelter"]]),
            )
            known[venue.name] = venue.id
    evening = await activity_queries.find_by_title(
        conn, organisation_id=ids["malmo-parish"], title="Parish council evening"
    )
    if not await rows(booking_queries.requests_of(conn, organisation_id=ids["malmo-parish"])):
        await bookings.ask(
            conn, clock, owner, BookingAsk(activity_id=evening, venue_id=known["Parish hall"]), public_base=""
        )


async def _partners(conn: asyncpg.Connection, clock: Clock, ids: dict[str, int]) -> None:
    """The organisations that share an activity agreed to be partners (each coordinator said yes)."""
    for slug, *_rest, extras in ACTIVITIES:
        for partner in extras.get("shared_with", []):
            owner = await _coordinator(conn, ids[slug])
            if any(p.partner_id == ids[partner] for p in await partnerships.list_partnerships(conn, owner)):
                continue
            await partnerships.ask(conn, clock, owner, partner)
            await partnerships.ask(conn, clock, await _coordinator(conn, ids[partner]), slug)


async def _coordinator(conn: asyncpg.Connection, organisation_id: int) -> Access:
    first = (
        await rows(
            people_queries.list_members(
                conn, organisation_id=organisation_id, after_id=0, limit=1, search=None, digits=""
            )
        )
    )[0]
    return Access.without_token(first["id"], organisation_id, "coordinator", first["language"])


async def _sign_up_some(conn: asyncpg.Connection, clock: Clock, organisation_id: int, activity) -> None:
    """Fill the first occurrences from the top of the member list: full, then ok, then short."""
    coordinator = await _coordinator(conn, organisation_id)
    people = await rows(
        people_queries.list_members(
            conn, organisation_id=organisation_id, after_id=0, limit=50, search=None, digits=""
        )
    )
    upcoming = await rows(
        occurrence_queries.occurrences_from(conn, activity_id=activity.id, from_date=clock.now().date())
    )
    for occurrence, wanted in zip(upcoming[:3], (2, 1, 0), strict=False):
        for role in activity.roles:
            placed = 0
            for person in people:
                if placed >= min(wanted, role.max_people):
                    break
                try:
                    await assignments.assign(
                        conn, clock, coordinator, occurrence["id"], role.id, person["id"]
                    )
                    placed += 1
                except ProblemError:  # not qualified or busy: the demo simply asks the next person
                    continue
