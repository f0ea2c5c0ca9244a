"""What access holds about a person: her tokens and page links, and her sessions."""

from __future__ import annotations

from services.access.queries import queries
from services.holdings import Erasure, Holding, items


async def _tokens(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_tokens(conn, person_id=person_id, organisation_id=organisation_id))


async def _sessions(conn, person_id: int, organisation_id: int | None) -> list:
    return await items(queries.export_sessions(conn, person_id=person_id, organisation_id=organisation_id))


async def _erase(conn, erasure: Erasure) -> None:
    await queries.revoke_everything_of(conn, person_id=erasure.person_id, now=erasure.now)


HOLDINGS = (
    Holding("tokens_and_links", ("api_tokens",), _tokens, erase=_erase),
    Holding("sessions_proofs_and_report_links", ("sessions",), _sessions, kept="ended with her tokens"),
)
