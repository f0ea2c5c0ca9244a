"""What the feeds context holds about a person: her calendar feeds (and those she made)."""

from __future__ import annotations

from services.feeds.queries import queries
from services.holdings import Erasure, Holding, items


async def _export(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_feeds(conn, person_id=person_id, organisation_id=organisation_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.revoke_feeds_of(conn, person_id=erasure.person_id, now=erasure.now)


HOLDINGS = (Holding("calendar_feeds", ("feed_subscriptions",), _export, erase=_erase),)
