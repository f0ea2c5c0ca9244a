"""The first key into a new deployment (`volops issue-token`): an organisation (made, or found by
its short name or id), a coordinator in it (made, or an existing member), and an API token for
her, in one transaction. Only the command line calls this: no token can make an organisation."""

from __future__ import annotations

import asyncpg
import msgspec

from schemas.organisations import Organisation, OrganisationCreate
from schemas.people import Person, PersonCreate
from services.access import service as access
from services.clock import Clock
from services.organisations import service as organisations
from services.people import service as people


class FirstKey(msgspec.Struct, frozen=True):
    organisation: Organisation
    person: Person
    secret: str  # shown once


async def first_key(
    conn: asyncpg.Connection,
    clock: Clock,
    organisation: OrganisationCreate | str,
    person: PersonCreate | int,
    label: str,
) -> FirstKey:
    """`organisation`: a new one, or the short name or id of one; `person`: a new member, or the
    id of one."""
    async with conn.transaction():
        if isinstance(organisation, OrganisationCreate):
            found = await organisations.create(conn, organisation)
        else:
            found = await organisations.find_by_slug_or_id(conn, organisation)
        bootstrap = access.Access.without_token(0, found.id, "coordinator")
        if isinstance(person, PersonCreate):
            member = await people.create_person(conn, clock, bootstrap, person)
        else:
            member = await people.get_person(conn, bootstrap, person)
        _token, secret = await access.issue_token(
            conn, clock, organisation_id=found.id, person_id=member.id, label=label
        )
    return FirstKey(found, member, secret)
