"""What the inbox holds about a person: the texts she sent us."""

from __future__ import annotations

from services.holdings import Erasure, Holding, items
from services.inbox.queries import queries


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(
        queries.export_sms_received(conn, person_id=person_id, organisation_id=organisation_id)
    )


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_replies(conn, person_id=erasure.person_id)


async def _purge(conn, now) -> int:
    return await queries.purge_replies(conn, now=now)


HOLDINGS = (
    Holding(
        "sms_received", ("sms_replies",), _export, erase=_erase, purge=_purge, purged_as="replies_purged"
    ),
)
