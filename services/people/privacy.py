"""What the people context holds about a person: her own row (pseudonymised on erasure, so her
hours stay in the reports as a former volunteer's), her memberships, her consent to texts, and
the numbers she asked to prove."""

from __future__ import annotations

from datetime import timedelta

from services.holdings import Erasure, Holding, erased_by, exported_by, purged_by
from services.people.queries import queries

PROOFS_KEPT = timedelta(days=1)  # their limits look back an hour


async def _former_volunteer(conn, erasure: Erasure) -> None:
    await queries.former_volunteer(conn, person_id=erasure.person_id)
    await queries.pseudonymise(
        conn, person_id=erasure.person_id, pseudonym=erasure.pseudonym, now=erasure.now
    )


HOLDINGS = (
    Holding(
        "person",
        ("people",),
        exported_by(queries.export_person, scoped=False),
        kept="her row, under a pseudonym: her hours stay in the reports",
    ),
    Holding(
        "memberships",
        ("memberships",),
        exported_by(queries.export_memberships),
        erase=_former_volunteer,
        kept="kept as former_volunteer so her hours stay in the reports",
    ),
    Holding(
        "sms_consent",
        ("consent_events",),
        exported_by(queries.export_consent, scoped=False),
        kept="when and how she agreed to texts, as proof",
    ),
    Holding(
        "sessions_proofs_and_report_links",
        ("phone_proofs",),
        exported_by(queries.export_phone_proofs),
        erase=erased_by(queries.erase_phone_proofs),
        purge=purged_by(queries.purge_phone_proofs, kept=PROOFS_KEPT),
        purged_as="codes_deleted",
    ),
)
