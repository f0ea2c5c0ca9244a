"""What the rota holds about a person: swap offers, cover requests she made or filled, the asks
she answered."""

from __future__ import annotations

from services.holdings import Holding, erased_by, exported_by
from services.rota.queries import queries

HOLDINGS = (
    Holding(
        "swap_offers",
        ("swap_offers",),
        exported_by(queries.export_swap_offers, scoped=False),
        erase=erased_by(queries.withdraw_offers_of),
        kept="offers stay, withdrawn",
    ),
    Holding(
        "cover_requests_and_answers",
        ("cover_requests", "cover_asks"),
        exported_by(queries.export_cover),
        kept="who was asked and who answered stays, under her pseudonym",
    ),
)
