"""Demo data for `volops dev`, built from BRIEF.md's organisations with made-up people only.

Every phone number is in the range Sweden's regulator reserves for fiction (070-174 06 05 to
070-174 06 99), so no real person can be reached even if the demo were pointed at real Twilio.
Loading is idempotent: organisations are matched by slug and people are imported by phone.
"""

from __future__ import annotations

import asyncpg

from infra import demo_schedule
from schemas.organisations import OrganisationCreate
from services.access import service as access
from services.clock import Clock
from services.db import rows
from services.feeds import service as feeds
from services.organisations import service as organisations
from services.organisations.queries import queries as organisation_queries
from services.pagination import Cursor
from services.people import importing, page_link
from services.people import service as people
from services.people.queries import queries as people_queries
from services.qualifications.queries import queries as qualification_queries

DEV_TOKEN_LABEL = "volops dev"

# A table reads best as one: slug, name, kind, country, language, time zone.
# fmt: off
ORGANISATIONS = [
    OrganisationCreate(slug=slug, name=name, kind=kind, country=country, default_language=language, time_zone=zone)
    for slug, name, kind, country, language, zone in (
        ("malmo-shelter", "Malmö Shelter & Outreach (demo)", "support_organisation", "SE", "sv", "Europe/Stockholm"),
        ("uppsala-outreach", "Uppsala Municipal Outreach Team (demo)", "municipal_team", "SE", "sv", "Europe/Stockholm"),
        ("uppsala-ngo", "Uppsala Street Support (demo)", "support_organisation", "SE", "sv", "Europe/Stockholm"),
        ("cz-women", "Women's Group Programme Prague & Ostrava (demo)", "support_organisation", "CZ", "cs", "Europe/Prague"),
        ("oslo-groups", "Oslo Women's Activity Groups (demo)", "support_organisation", "NO", "nb", "Europe/Oslo"),
        ("oslo-friends", "Oslo Volunteer Friends (demo)", "support_organisation", "NO", "nb", "Europe/Oslo"),
        ("malmo-parish", "S:t Exempel Parish, Malmö (demo)", "partner_congregation", "SE", "sv", "Europe/Stockholm"),
    )
]
# fmt: on

QUALIFICATIONS = {
    "malmo-shelter": ["Driving licence", "Outreach training", "Confidentiality agreement"],
    "uppsala-outreach": ["Outreach training", "Confidentiality agreement"],
    "uppsala-ngo": ["Outreach training"],
    "cz-women": ["Facilitator training", "Peer consultant training"],
    "oslo-groups": ["Confidentiality agreement"],
    "oslo-friends": ["12-hour course", "Police certificate", "Confidentiality agreement"],
    "malmo-parish": [],
}

# name, phone, language, qualifications, sms — the first person of each organisation coordinates.
PEOPLE = {
    "malmo-shelter": """name,phone,language,qualifications,sms
Lena Exempelsson,070-174 06 05,sv,Driving licence; Outreach training; Confidentiality agreement,yes
Karin Provsdotter,070-174 06 06,sv,Driving licence,yes
Maja Testberg,070-174 06 07,sv,Outreach training; Confidentiality agreement,yes
Sara Demoström,070-174 06 08,en,Outreach training; Confidentiality agreement,yes
Aisha Påhittad,070-174 06 09,sv,Driving licence; Confidentiality agreement,yes
Eva Låtsasson,070-174 06 10,sv,,yes
""",
    "uppsala-outreach": """name,phone,language,qualifications,sms
Ingrid Fiktivsson,070-174 06 20,sv,Outreach training; Confidentiality agreement,yes
Tove Exempelberg,070-174 06 21,sv,Outreach training; Confidentiality agreement,yes
Noor Uppdiktad,070-174 06 22,en,Outreach training,yes
""",
    "uppsala-ngo": """name,phone,language,qualifications,sms
Vera Påhittsson,070-174 06 25,sv,Outreach training,yes
Linnea Exempla,070-174 06 26,en,Outreach training,yes
""",
    "cz-women": """name,phone,language,qualifications,sms
Jana Příkladová,+46 70 174 06 30,cs,Facilitator training,yes
Petra Smyšlená,+46 70 174 06 31,cs,Peer consultant training,yes
Lucie Vzorová,+46 70 174 06 32,cs,Facilitator training,yes
Tereza Ukázková,+46 70 174 06 33,cs,Peer consultant training,yes
""",
    "oslo-groups": """name,phone,language,qualifications,sms
Kari Eksempelsen,+46 70 174 06 40,nb,Confidentiality agreement,yes
Amina Oppdiktet,+46 70 174 06 41,nb,Confidentiality agreement,yes
Sofie Prøvesen,+46 70 174 06 42,en,Confidentiality agreement,yes
""",
    "oslo-friends": """name,phone,language,qualifications,sms
Randi Demonstrasjon,+46 70 174 06 50,nb,12-hour course; Police certificate; Confidentiality agreement,yes
Hilde Tenkt,+46 70 174 06 51,nb,12-hour course; Police certificate until 2027-06-30; Confidentiality agreement,yes
Marte Forsøk,+46 70 174 06 52,nb,12-hour course,yes
""",
    "malmo-parish": """name,phone,language,qualifications,sms
Birgitta Kyrkvärd,070-174 06 60,sv,,yes
""",
}
FIRST_ROLE = {"malmo-parish": "partner_contact"}


async def load(conn: asyncpg.Connection, clock: Clock) -> dict[str, int]:
    """Create whatever of the demo is missing; return {slug: organisation id}."""
    ids: dict[str, int] = {}
    for organisation in ORGANISATIONS:
        row = await organisation_queries.get_organisation_by_slug(conn, slug=organisation.slug)
        ids[organisation.slug] = row["id"] if row else (await organisations.create(conn, organisation)).id
        for name in QUALIFICATIONS[organisation.slug]:
            await qualification_queries.insert_type(conn, organisation_id=ids[organisation.slug], name=name)
        report = await importing.import_people(
            conn, clock, organisation_id=ids[organisation.slug], data=PEOPLE[organisation.slug].encode()
        )
        if not report.imported:  # the demo's own data is wrong: say where
            raise ValueError(f"demo people of {organisation.slug}: {report.errors}")
        first = await rows(
            people_queries.list_members(
                conn, organisation_id=ids[organisation.slug], after_id=0, limit=1, search=None, digits=""
            )
        )
        await people_queries.add_role(
            conn,
            organisation_id=ids[organisation.slug],
            person_id=first[0]["id"],
            role=FIRST_ROLE.get(organisation.slug, "coordinator"),
            now=clock.now(),
        )
        if first[0]["phone"]:  # as if she had typed the code texted to her: SMS sign-in works
            await people_queries.set_proven_phone(
                conn, id=first[0]["id"], phone=first[0]["phone"], now=clock.now()
            )
    await demo_schedule.load(conn, clock, ids)
    return ids


async def for_dev(
    conn: asyncpg.Connection, clock: Clock, public_base: str, link_key: bytes | None = None
) -> tuple[list, list, list]:
    """The demo loaded, with a fresh token for each organisation's first member, fresh feed links
    and own-page links (secrets are never kept, so each start makes new ones and switches the
    earlier ones off)."""
    ids = await load(conn, clock)
    tokens = []
    for slug, organisation_id in ids.items():
        first = await _first_members(conn, organisation_id, 1)
        await access.revoke_labelled_tokens(conn, clock, organisation_id, first[0].id, DEV_TOKEN_LABEL)
        _row, secret = await access.issue_token(
            conn, clock, organisation_id=organisation_id, person_id=first[0].id, label=DEV_TOKEN_LABEL
        )
        tokens.append(
            (slug, f"{first[0].display_name} ({', '.join(first[0].roles)})", secret, organisation_id)
        )
    first, parish = ids[ORGANISATIONS[0].slug], ids["malmo-parish"]
    return (
        tokens,
        await _feeds(conn, clock, public_base, first, parish, link_key),
        await _pages(conn, clock, public_base, first, parish),
    )


async def _pages(
    conn: asyncpg.Connection, clock: Clock, public_base: str, organisation_id: int, parish_id: int
):
    """A volunteer's and the verger's own-page links, as their SMS would carry them."""
    (_coordinator, volunteer), (verger,) = (
        await _first_members(conn, organisation_id, 2),
        await _first_members(conn, parish_id, 1),
    )
    found = []
    for organisation, person, what in ((organisation_id, volunteer, "shifts"), (parish_id, verger, "rooms")):
        await page_link.revoke(conn, clock, organisation, person.id)
        _token, secret = await page_link.issue(conn, clock, organisation, person.id)
        link = page_link.sign_in_url(public_base, secret, opens=what)
        found.append((f"{person.display_name}'s {what}", link))
    return found


async def _first_members(conn: asyncpg.Connection, organisation_id: int, how_many: int) -> list:
    """The organisation's first members, as a coordinator lists them."""
    listing = access.Access.without_token(0, organisation_id, "coordinator")
    return (await people.list_people(conn, listing, Cursor.parse(None, how_many))).items


async def _feeds(
    conn: asyncpg.Connection,
    clock: Clock,
    public_base: str,
    organisation_id: int,
    parish_id: int,
    link_key: bytes | None,
):
    """Feed links for the first demo organisation, one of its volunteers and the parish's rooms."""
    coordinator, volunteer = await _first_members(conn, organisation_id, 2)
    planner = access.Access.without_token(
        coordinator.id, organisation_id, "coordinator", coordinator.language
    )
    await feeds.revoke_made_by(conn, clock, planner)
    personal = await feeds.create(conn, clock, planner, "personal", volunteer.id, public_base, link_key)
    whole = await feeds.create(conn, clock, planner, "organisation", None, public_base, link_key)
    (verger,) = await _first_members(conn, parish_id, 1)
    parish = access.Access.without_token(verger.id, parish_id, "partner_contact", verger.language)
    await feeds.revoke_made_by(conn, clock, parish)
    rooms = await feeds.create(conn, clock, parish, "venue", None, public_base, link_key)
    return [
        (f"{volunteer.display_name}'s shifts", personal.webcal_url),
        ("the whole organisation", whole.webcal_url),
        ("the parish's rooms (bookings)", rooms.webcal_url),
    ]
