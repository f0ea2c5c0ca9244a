"""People of an organisation. Coordinators manage them; everyone else sees only themselves."""

from __future__ import annotations

import re

import asyncpg
import msgspec

from schemas.common import FieldError, Page
from schemas.organisations import Organisation
from schemas.people import Person, PersonCreate, PersonUpdate
from services.access.service import Access, person_not_found, require_person_in_view
from services.clock import Clock
from services.db import as_struct, rows
from services.notices import reminders
from services.organisations import service as organisations
from services.pagination import Cursor
from services.people import page_link, proofs
from services.people.phones import BadPhone, normalise_phone
from services.people.queries import queries
from services.problems import Conflict, Forbidden, NotFound, Unprocessable, refusals
from services.timezones import check_time_zone
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals(
    {
        "phone-taken": N_(
            "Someone here already has this number. If they share the phone, tick 'shares this phone'."
        ),
        "bad-phone": N_(
            "That is not a phone number we can text. Write it as you dial it at home, or with + and the country code."
        ),
        "bad-code": N_("That code does not work. Ask for a new one if it is older than 10 minutes."),
    }
)


def to_person(row: asyncpg.Record) -> Person:
    return as_struct(Person)(row)


async def organisation_row(conn: asyncpg.Connection, organisation_id: int) -> Organisation:
    """The organisation whose people these are: its country reads local numbers, its language and
    zone are a new person's defaults."""
    return await organisations.get(
        conn, Access.without_token(0, organisation_id, "coordinator"), organisation_id
    )


def _phone(raw: str | None, region: str) -> str | None:
    if raw is None:
        return None
    try:
        return normalise_phone(raw, region)
    except BadPhone as exc:
        raise Unprocessable(
            f"phone: {exc}.", code="bad-phone", errors=[FieldError(field="phone", message=str(exc))]
        ) from None


async def list_people(
    conn: asyncpg.Connection, access: Access, cursor: Cursor, search: str | None = None
) -> Page[Person]:
    access.require_coordinator("list the people of the organisation")
    wanted = search.strip()[:100] if search and search.strip() else None
    records = await rows(
        queries.list_members(
            conn,
            organisation_id=access.organisation_id,
            after_id=cursor.after_id,
            limit=cursor.fetch_limit,
            search=wanted,
            digits=re.sub(r"\D", "", wanted or "").removeprefix("0"),  # a number as written at home
        )
    )
    return cursor.page(records, to_person)


async def get_person(conn: asyncpg.Connection, access: Access, person_id: int) -> Person:
    # A volunteer asking for someone else learns nothing, not even that they exist.
    if person_id != access.person_id and not access.is_coordinator:
        raise person_not_found(person_id)
    row = await queries.get_member(conn, organisation_id=access.organisation_id, person_id=person_id)
    if row is None:
        raise person_not_found(person_id)
    return to_person(row)


async def _ensure_phone_free(
    conn: asyncpg.Connection, organisation_id: int, phone: str | None, person_id: int | None
) -> None:
    if phone is None:
        return
    for other in await rows(
        queries.find_members_by_phone(conn, organisation_id=organisation_id, phones=[phone])
    ):
        if other["id"] != person_id:
            raise Conflict(
                f"Person {other['id']} in this organisation already has this phone number.",
                code="phone-taken",
                errors=[
                    FieldError(
                        field="phone",
                        message="already used in this organisation; send shares_phone if they share it",
                    )
                ],
            )


async def create_person(
    conn: asyncpg.Connection, clock: Clock, access: Access, data: PersonCreate, public_base: str | None = None
) -> Person:
    """A new member; a volunteer or partner contact who can be texted gets the link to her own page
    (when `public_base` says where the pages are)."""
    access.require_coordinator("add people")
    organisation = await organisation_row(conn, access.organisation_id)
    phone = _phone(data.phone, organisation.country)
    time_zone = data.time_zone or organisation.time_zone
    check_time_zone(time_zone)
    async with conn.transaction():
        await queries.lock_organisation_people(conn, organisation_id=access.organisation_id)
        if not data.shares_phone:
            await _ensure_phone_free(conn, access.organisation_id, phone, None)
        person_id = await insert_member(
            conn,
            clock,
            access.organisation_id,
            display_name=data.display_name.strip(),
            phone=phone,
            language=data.language or organisation.default_language,
            time_zone=time_zone,
            sms_consent=data.sms_consent,
            roles=data.roles,
        )
        if public_base and {"volunteer", "partner_contact"} & set(data.roles):
            await page_link.send(conn, clock, access.organisation_id, person_id, public_base)
    return await get_person(conn, access, person_id)


async def insert_member(
    conn: asyncpg.Connection, clock: Clock, organisation_id: int, *, roles, **fields
) -> int:
    now = clock.now()
    person_id = (await queries.insert_person(conn, now=now, **fields))["id"]
    for role in sorted(set(roles)):
        await queries.add_role(conn, organisation_id=organisation_id, person_id=person_id, role=role, now=now)
    return person_id


async def update_person(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, data: PersonUpdate
) -> Person:
    """A coordinator's change is made at once (a number she types is the organisation's record of
    it); a person changing her own number gets a code on the new one instead (see proofs)."""
    current = await get_person(conn, access, person_id)  # 404 for anyone but self and coordinators
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    offsets = changes.pop("reminder_offsets_minutes", msgspec.UNSET)
    shares_phone = changes.pop("shares_phone", False)
    if shares_phone and not access.is_coordinator:
        raise Forbidden("Only a coordinator confirms that two people share a phone.", code="coordinator-only")
    if "phone" in changes:
        organisation = await organisation_row(conn, access.organisation_id)
        changes["phone"] = _phone(changes["phone"], organisation.country)
    if "time_zone" in changes:
        check_time_zone(changes["time_zone"])
    to_prove = _number_to_prove(access, person_id, current, changes["phone"]) if "phone" in changes else None
    if to_prove:
        del changes["phone"]
    merged = {
        field: changes.get(field, getattr(current, field))
        for field in ("display_name", "phone", "language", "time_zone", "sms_consent")
    }
    async with conn.transaction():
        await queries.lock_organisation_people(conn, organisation_id=access.organisation_id)
        if not shares_phone:
            await _ensure_phone_free(conn, access.organisation_id, merged["phone"], person_id)
            await _ensure_phone_free(conn, access.organisation_id, to_prove, person_id)
        await queries.update_person(conn, id=person_id, now=clock.now(), **merged)
        if offsets is not msgspec.UNSET:
            await queries.set_reminder_offsets(
                conn, id=person_id, offsets=sorted(set(offsets)) if offsets else offsets
            )
            await reminders.plan_person(conn, clock, person_id)
        if to_prove:
            await proofs.ask(conn, clock, access.organisation_id, person_id, to_prove)
    return await _as_seen_by(conn, clock, access, person_id)


def _number_to_prove(access: Access, person_id: int, current: Person, phone: str | None) -> str | None:
    """Her own new number (or her own number not yet proven): it counts once its code comes back.
    Taking her number away needs no proof."""
    if person_id != access.person_id or phone is None:
        return None
    return phone if phone != current.phone or not current.phone_proven else None


async def get_person_as_seen_by_self(conn: asyncpg.Connection, clock: Clock, access: Access) -> Person:
    return await _as_seen_by(conn, clock, access, access.person_id)


async def _as_seen_by(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> Person:
    """The person; to herself, with the number still waiting for its code."""
    person = await get_person(conn, access, person_id)
    if person_id != access.person_id:
        return person
    waiting = await proofs.waiting(conn, clock, access.organisation_id, person_id)
    return msgspec.structs.replace(person, phone_waiting_for_code=waiting)


async def prove_phone(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, code: str
) -> Person:
    """The code texted to her new number came back: that number is hers, and now her number here."""
    if person_id != access.person_id:
        raise person_not_found(person_id)  # only she can prove her own number
    async with conn.transaction():
        phone = await proofs.proven(conn, clock, access.organisation_id, person_id, code)
        if phone is None:
            raise Unprocessable(
                "The code does not work. Ask for a new one if it is older than 10 minutes.",
                code="bad-code",
                errors=[FieldError(field="code", message="not the code that was sent, or too old")],
            )
        await queries.lock_organisation_people(conn, organisation_id=access.organisation_id)
        await _ensure_phone_free(conn, access.organisation_id, phone, person_id)
        await queries.set_proven_phone(conn, id=person_id, phone=phone, now=clock.now())
    return await _as_seen_by(conn, clock, access, person_id)


async def add_role(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, role: str
) -> Person:
    access.require_coordinator("give people roles")
    await get_person(conn, access, person_id)
    await queries.add_role(
        conn, organisation_id=access.organisation_id, person_id=person_id, role=role, now=clock.now()
    )
    return await get_person(conn, access, person_id)


async def retire_volunteer(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> None:
    """She stops volunteering here but stays a member as a former volunteer (her hours stay hers)."""
    access.require_coordinator("deactivate volunteers")
    await get_person(conn, access, person_id)
    retired = await queries.retire_volunteer(
        conn, organisation_id=access.organisation_id, person_id=person_id, now=clock.now()
    )
    if not retired:
        raise NotFound(f"Person {person_id} is no volunteer here.", code="role-not-found")


async def remove_role(conn: asyncpg.Connection, access: Access, person_id: int, role: str) -> None:
    access.require_coordinator("take roles away")
    await get_person(conn, access, person_id)
    async with conn.transaction():
        await queries.lock_organisation_people(conn, organisation_id=access.organisation_id)
        removed = await queries.remove_role(
            conn, organisation_id=access.organisation_id, person_id=person_id, role=role
        )
        if not removed:
            raise NotFound(f"Person {person_id} does not have the role {role}.", code="role-not-found")
        if role == "coordinator" and not await queries.count_role(
            conn, organisation_id=access.organisation_id, role="coordinator"
        ):
            raise Conflict("An organisation keeps at least one coordinator.", code="last-coordinator")


async def send_page_link(
    conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int, public_base: str
) -> bool:
    """A fresh link to her own page, texted; False when she cannot be texted."""
    await require_person_in_view(conn, access, person_id)
    return await page_link.send(conn, clock, access.organisation_id, person_id, public_base)


async def revoke_page_links(conn: asyncpg.Connection, clock: Clock, access: Access, person_id: int) -> None:
    await require_person_in_view(conn, access, person_id)
    await page_link.revoke(conn, clock, access.organisation_id, person_id)
