"""What the rota holds about a person: swap offers, cover requests she made or filled, the asks
she answered."""

from __future__ import annotations

from services.holdings import Erasure, Holding, items
from services.rota.queries import queries


async def _offers(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_swap_offers(conn, person_id=person_id))


async def _cover(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_cover(conn, person_id=person_id, organisation_id=organisation_id))


async def _withdraw_offers(conn, erasure: Erasure) -> None:
    await queries.withdraw_offers_of(conn, person_id=erasure.person_id)


HOLDINGS = (
    Holding("swap_offers", ("swap_offers",), _offers, erase=_withdraw_offers, kept="offers stay, withdrawn"),
    Holding(
        "cover_requests_and_answers",
        ("cover_requests", "cover_asks"),
        _cover,
        kept="who was asked and who answered stays, under her pseudonym",
    ),
)
