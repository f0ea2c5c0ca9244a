"""What the notices context holds about a person: the texts to her (found by her id, never by a
number, which others may share), and her name or number in texts to others of her organisation."""

from __future__ import annotations

from services.holdings import Erasure, Holding, exported_by, purged_by
from services.notices.queries import queries


async def _erase(conn, erasure: Erasure) -> None:
    await queries.erase_texts(
        conn,
        person_id=erasure.person_id,
        organisation_id=erasure.organisation_id,
        phone=erasure.phone,
        name=erasure.name,
    )


HOLDINGS = (
    Holding(
        "sms_sent",
        ("outbox",),
        exported_by(queries.export_sms_sent),
        erase=_erase,
        purge=purged_by(queries.purge_sms_bodies),
        purged_as="texts_purged",
        kept="what happened to each text stays, without its words or number",
    ),
)
