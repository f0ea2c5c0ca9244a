"""What the people context holds about a person: her own row (pseudonymised on erasure, so her
hours stay in the reports as a former volunteer's), her memberships, her consent to texts, and
the numbers she asked to prove."""

from __future__ import annotations

from datetime import timedelta

from services.holdings import Erasure, Holding, items
from services.people.queries import queries

PROOFS_KEPT = timedelta(days=1)  # their limits look back an hour


async def _person(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_person(conn, person_id=person_id))


async def _memberships(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_memberships(conn, person_id=person_id, organisation_id=organisation_id))


async def _consent(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_consent(conn, person_id=person_id))


async def _proofs(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(
        queries.export_phone_proofs(conn, person_id=person_id, organisation_id=organisation_id)
    )


async def _erase_proofs(conn, erasure: Erasure) -> None:
    await queries.erase_phone_proofs(conn, person_id=erasure.person_id)


async def _purge_proofs(conn, now) -> int:
    return await queries.purge_phone_proofs(conn, before=now - PROOFS_KEPT)


async def _former_volunteer(conn, erasure: Erasure) -> None:
    await queries.former_volunteer(conn, person_id=erasure.person_id)
    await queries.pseudonymise(
        conn, person_id=erasure.person_id, pseudonym=erasure.pseudonym, now=erasure.now
    )


HOLDINGS = (
    Holding("person", ("people",), _person, kept="her row, under a pseudonym: her hours stay in the reports"),
    Holding(
        "memberships",
        ("memberships",),
        _memberships,
        erase=_former_volunteer,
        kept="kept as former_volunteer so her hours stay in the reports",
    ),
    Holding("sms_consent", ("consent_events",), _consent, kept="when and how she agreed to texts, as proof"),
    Holding(
        "sessions_proofs_and_report_links",
        ("phone_proofs",),
        _proofs,
        erase=_erase_proofs,
        purge=_purge_proofs,
        purged_as="codes_deleted",
    ),
)
