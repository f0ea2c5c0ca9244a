"""Cover requests as the pages show them: open ones beside their gap on the board, who was asked
and what they answered, and the shift page of one person asked."""

from __future__ import annotations

from datetime import datetime

import asyncpg
import msgspec

from services.access.service import Access
from services.clock import Clock
from services.db import as_struct, rows
from services.problems import Unprocessable
from services.rota.queries import queries


class CoverOnBoard(msgspec.Struct, frozen=True, kw_only=True):
    """A cover request as the board shows it: open beside its gap, or done."""

    id: int
    occurrence_id: int
    role_id: int
    status: str
    expires_at: datetime
    filled_at: datetime | None
    starts_at: datetime
    title: str
    time_zone: str
    role_name: str
    filled_by_name: str | None
    asked: int
    texts_wait_until: datetime | None  # asks held back by quiet hours go out then


class LatestCover(msgspec.Struct, frozen=True, kw_only=True):
    id: int
    status: str
    expires_at: datetime
    filled_by: int | None
    created_at: datetime
    texts_wait_until: datetime | None


class Asked(msgspec.Struct, frozen=True, kw_only=True):
    """One person a cover request asked, and what she answered."""

    person_id: int
    display_name: str
    round: int
    asked_at: datetime
    answer: str | None
    answered_at: datetime | None


class ShiftAsked(msgspec.Struct, frozen=True, kw_only=True):
    """What a volunteer's shift page shows: the request, her own ask, the occurrence and the role."""

    request_id: int
    person_id: int
    status: str
    code: str
    filled_by: int | None
    organisation_id: int
    occurrence_id: int
    answer: str | None
    starts_at: datetime
    ends_at: datetime
    occurrence_status: str
    place_id: int | None
    title: str
    dropoff_place_id: int | None
    role_name: str
    display_name: str
    language: str
    time_zone: str


async def requests_between(conn: asyncpg.Connection, access: Access, start, end) -> list[CoverOnBoard]:
    """The organisation's cover requests for shifts in the period, open or done."""
    found = await rows(
        queries.cover_requests_between(
            conn, organisation_id=access.organisation_id, starts_from=start, starts_before=end
        )
    )
    return [as_struct(CoverOnBoard)(row) for row in found]


async def latest(
    conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int, role_id: int
) -> tuple[LatestCover | None, list[Asked]]:
    """The latest request for this role, and who was asked with their answers."""
    request = await queries.latest_request(
        conn,
        organisation_id=access.organisation_id,
        occurrence_id=occurrence_id,
        role_id=role_id,
        now=clock.now(),
    )
    if request is None:
        return None, []
    asks = await rows(queries.asks_with_answers(conn, request_id=request["id"]))
    return as_struct(LatestCover)(request), [as_struct(Asked)(row) for row in asks]


async def shift_facts(conn: asyncpg.Connection, request_id: int, person_id: int) -> ShiftAsked:
    """What the shift page shows the person a request asked."""
    facts = await queries.shift_page_facts(conn, request_id=request_id, person_id=person_id)
    if facts is None:  # signed by us, but the request is gone (its occurrence was deleted)
        raise Unprocessable("This shift no longer exists.", code="occurrence-not-found")
    return as_struct(ShiftAsked)(facts)
