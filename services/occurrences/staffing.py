"""How staffed an organisation's dates are, as coordinators read it: each role's people against its minimum and maximum, and each date's state."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import asyncpg

from schemas.scheduling import Occurrence, RoleStaffing
from services.access.service import Access
from services.clock import A_YEAR, require_period
from services.db import as_struct, rows
from services.occurrences.queries import queries
from services.places import service as places

# An outreach visit is never staffed by one person alone: the pair rule.
PAIR_KINDS = {"outreach_visit"}


def role_state(taken: int, min_people: int, max_people: int) -> str:
    if taken < min_people:
        return "short"
    return "full" if taken >= max_people else "ok"


def occurrence_state(kind: str, roles: list[RoleStaffing]) -> str:
    if any(r.state == "short" for r in roles):
        return "short"
    # The pair rule: an outreach visit with one person is never staffed, whatever the roles say.
    if kind in PAIR_KINDS and sum(r.taken for r in roles) < 2:
        return "short"
    return "full" if all(r.state == "full" for r in roles) else "ok"


async def _staffing(conn: asyncpg.Connection, access: Access, **filters) -> list[Occurrence]:
    records = await rows(queries.staffing(conn, organisation_id=access.organisation_id, **filters))
    place_rows = {
        p["id"]: p
        for p in await rows(
            queries.places_by_id(conn, ids=list({r["place_id"] for r in records if r["place_id"]}))
        )
    }
    await places.record_reads(conn, access, place_rows.values())
    grouped: dict[int, list[asyncpg.Record]] = defaultdict(list)
    for record in records:
        grouped[record["id"]].append(record)
    out = []
    for occurrence_rows in grouped.values():
        first = occurrence_rows[0]
        roles = [
            RoleStaffing(
                role_id=r["role_id"],
                name=r["role_name"],
                min_people=r["min_people"],
                max_people=r["max_people"],
                taken=len(r["people"]),
                state=role_state(len(r["people"]), r["min_people"], r["max_people"]),
                people=list(r["people"]),
            )
            for r in occurrence_rows
        ]
        zone = ZoneInfo(first["time_zone"])
        place = place_rows.get(first["place_id"])
        out.append(
            as_struct(Occurrence)(
                first,
                start_local=first["starts_at"].astimezone(zone).replace(tzinfo=None),
                place=places.show(place, access) if place else None,
                state=occurrence_state(first["kind"], roles),
                roles=roles,
            )
        )
    return out


async def staffing_window(
    conn: asyncpg.Connection,
    access: Access,
    starts_from: datetime,
    starts_before: datetime,
    activity_id: int | None = None,
) -> list[Occurrence]:
    require_period(starts_from, starts_before, at_most=A_YEAR, too_long="period-over-a-year")
    return await _staffing(
        conn,
        access,
        starts_from=starts_from,
        starts_before=starts_before,
        activity_id=activity_id,
        occurrence_ids=None,
    )


async def staffing_of_many(
    conn: asyncpg.Connection, access: Access, occurrence_ids: list[int]
) -> list[Occurrence]:
    """The staffing of these occurrences, those this organisation can see, in one read."""
    return await _staffing(
        conn, access, starts_from=None, starts_before=None, activity_id=None, occurrence_ids=occurrence_ids
    )
