"""Organisations with a coordinator and tokens, built through the services themselves."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import asyncpg

from schemas.organisations import OrganisationCreate
from services.access import service as access
from services.clock import Clock
from services.organisations import service as organisations
from services.partnerships import service as partnerships
from services.people import service as people

# Sweden's numbers reserved for fiction (070-174 06 05..99); tests write 0605-0616 and 0670+ by hand
# (never one in the range below, or a test's own number may meet a generated one).
_PHONES = itertools.cycle(range(617, 670))


def fictional_phone() -> str:
    return f"+4670174{next(_PHONES):04d}"


@dataclass
class Org:
    id: int
    slug: str
    coordinator_id: int
    coordinator_token: str
    volunteer_id: int
    volunteer_token: str
    volunteer_phone: str

    def auth(self, who: str = "coordinator") -> dict[str, str]:
        return {"Authorization": f"Bearer {getattr(self, who + '_token')}"}


async def make_org(conn: asyncpg.Connection, clock: Clock, slug: str, country: str = "SE") -> Org:
    organisation = await organisations.create(
        conn,
        OrganisationCreate(
            slug=slug,
            name=f"{slug} (test)",
            kind="support_organisation",
            country=country,
            default_language="sv",
            time_zone="Europe/Stockholm",
        ),
    )
    ids = {}
    for role in ("coordinator", "volunteer"):
        ids[role] = await people.insert_member(
            conn,
            clock,
            organisation.id,
            roles=[role],
            display_name=f"{role.title()} of {slug}",
            phone=fictional_phone(),
            language="sv",
            time_zone="Europe/Stockholm",
            sms_consent=True,
        )
    tokens = {}
    for role, person_id in ids.items():
        _row, tokens[role] = await access.issue_token(
            conn, clock, organisation_id=organisation.id, person_id=person_id
        )
    phone = await conn.fetchval("SELECT phone FROM people WHERE id = $1", ids["volunteer"])
    return Org(
        organisation.id,
        slug,
        ids["coordinator"],
        tokens["coordinator"],
        ids["volunteer"],
        tokens["volunteer"],
        phone,
    )


async def add_member(
    conn: asyncpg.Connection,
    clock: Clock,
    org: Org,
    name: str,
    *,
    phone: str | None = None,
    language: str = "sv",
) -> int:
    """A volunteer of `org`; with a phone they have agreed to SMS."""
    return await people.insert_member(
        conn,
        clock,
        org.id,
        roles=["volunteer"],
        display_name=name,
        phone=phone,
        language=language,
        time_zone="Europe/Stockholm",
        sms_consent=phone is not None,
    )


async def tokens_of_new_volunteers(conn: asyncpg.Connection, clock: Clock, org: Org, count: int) -> list[str]:
    """`count` new volunteers of `org` (no phone), each with an API token of their own: racers."""
    tokens = []
    for n in range(count):
        person = await add_member(conn, clock, org, f"Racer {n}")
        tokens.append((await access.issue_token(conn, clock, organisation_id=org.id, person_id=person))[1])
    return tokens


@dataclass
class Partner:
    id: int
    contact_id: int
    contact_token: str
    contact_phone: str

    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.contact_token}"}


async def make_partner(conn: asyncpg.Connection, clock: Clock, slug: str = "parish-test") -> Partner:
    """A congregation whose verger answers for its rooms by SMS (a partner contact, no coordinator)."""
    organisation = await organisations.create(
        conn,
        OrganisationCreate(
            slug=slug,
            name=f"{slug} (test)",
            kind="partner_congregation",
            country="SE",
            default_language="sv",
            time_zone="Europe/Stockholm",
        ),
    )
    phone = fictional_phone()
    contact = await people.insert_member(
        conn,
        clock,
        organisation.id,
        roles=["partner_contact"],
        display_name="Verger Vaktmästarsson",
        phone=phone,
        language="sv",
        time_zone="Europe/Stockholm",
        sms_consent=True,
    )
    _row, token = await access.issue_token(conn, clock, organisation_id=organisation.id, person_id=contact)
    return Partner(organisation.id, contact, token, phone)


async def make_partners(conn: asyncpg.Connection, clock: Clock, one: int, other: int) -> None:
    """Two organisations that agreed to share: one's coordinator asked, the other's accepted."""
    for asking, asked in ((one, other), (other, one)):
        slug = await conn.fetchval("SELECT slug FROM organisations WHERE id = $1", asked)
        await partnerships.ask(conn, clock, access.Access.without_token(0, asking, "coordinator"), slug)


async def no_longer_coordinator(conn: asyncpg.Connection, org: Org) -> None:
    """Org's coordinator stays on as a volunteer only (the last coordinator, so not through the
    service, which keeps one)."""
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'volunteer')"
        " ON CONFLICT DO NOTHING",
        org.id,
        org.coordinator_id,
    )
    await conn.execute(
        "DELETE FROM memberships WHERE person_id = $1 AND role = 'coordinator'", org.coordinator_id
    )
