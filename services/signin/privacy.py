"""What sign-in holds about a person: the codes sent to her number (never the codes themselves)."""

from __future__ import annotations

from datetime import timedelta

from services.holdings import Erasure, Holding, items
from services.signin.queries import queries

CODES_KEPT = timedelta(days=1)  # their limits look back an hour


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(
        queries.export_sign_in_codes(conn, person_id=person_id, organisation_id=organisation_id)
    )


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_sign_in_codes(conn, person_id=erasure.person_id)


async def _purge(conn, now) -> int:
    return await queries.purge_sign_in_codes(conn, before=now - CODES_KEPT)


HOLDINGS = (
    Holding(
        "sign_in_codes", ("sign_in_codes",), _export, erase=_erase, purge=_purge, purged_as="codes_deleted"
    ),
)
