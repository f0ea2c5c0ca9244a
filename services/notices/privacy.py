"""What the notices context holds about a person: the texts to her (found by her id, never by a
number, which others may share), and her name or number in texts to others of her organisation."""

from __future__ import annotations

from services.holdings import Erasure, Holding, items
from services.notices.queries import queries


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_sms_sent(conn, person_id=person_id, organisation_id=organisation_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_texts(
        conn,
        person_id=erasure.person_id,
        organisation_id=erasure.organisation_id,
        phone=erasure.phone,
        name=erasure.name,
    )


async def _purge(conn, now) -> int:
    return await queries.purge_sms_bodies(conn, now=now)


HOLDINGS = (
    Holding(
        "sms_sent",
        ("outbox",),
        _export,
        erase=_erase,
        purge=_purge,
        purged_as="texts_purged",
        kept="what happened to each text stays, without its words or number",
    ),
)
