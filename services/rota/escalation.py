"""Escalation: a gap within 48 hours with nobody being asked gets a cover request from the service
itself (the organisation's default number of people); a gap still open 12 hours before the start is
texted to the organisation's coordinators, once. Quiet hours apply to every text (see reminders)."""

from __future__ import annotations

from datetime import timedelta

import asyncpg

from services.access.service import Access
from services.clock import Clock
from services.db import rows
from services.notices import service as notices
from services.problems import ProblemError
from services.rota import cover
from services.rota import service as rota
from services.rota.queries import queries

ASK_WITHIN = timedelta(hours=48)
TELL_COORDINATORS_WITHIN = timedelta(hours=12)
ANSWER_WITHIN = timedelta(hours=2)


async def escalate(conn: asyncpg.Connection, clock: Clock, public_base: str) -> dict[str, int]:
    now = clock.now()
    done = {"asked": 0, "coordinators_told": 0}
    for organisation in await rows(queries.escalating_organisations(conn)):
        access = Access.without_token(organisation["coordinator_id"], organisation["id"], "coordinator")
        for gap in await rota.gaps(conn, clock, access, now, now + ASK_WITHIN):
            role_ids = {r.role_id for r in gap.reasons if r.role_id is not None}
            for role_id in role_ids:
                if await queries.has_request(conn, occurrence_id=gap.occurrence_id, role_id=role_id):
                    continue
                try:
                    async with conn.transaction():
                        await cover.ask(
                            conn,
                            clock,
                            access,
                            gap.occurrence_id,
                            role_id,
                            organisation["cover_batch_size"],
                            min(ANSWER_WITHIN, gap.starts_at - now),
                            public_base,
                        )
                    done["asked"] += 1
                except ProblemError:
                    continue  # nobody to ask: the coordinators hear of it below
            if gap.starts_at - now <= TELL_COORDINATORS_WITHIN:
                done["coordinators_told"] += await _tell_coordinators(conn, clock, organisation["id"], gap)
    return done


async def _tell_coordinators(conn: asyncpg.Connection, clock: Clock, organisation_id: int, gap) -> int:
    return await notices.tell_on_duty(
        conn,
        clock,
        organisation_id,
        everyone=True,
        key=f"gap-alert:{gap.occurrence_id}",
        template="gap_alert",
        before=gap.starts_at,
        what=gap.title,
        moment=gap.starts_at,
        number=gap.people_missing,
    )
