"""Auto-fill: for a period, propose assignments for every open place that respect every rule
(qualifications on the day, weekly availability, blackouts and existing shifts, one role per
occurrence, no overlaps with a minimum rest between shifts, monthly maximums), maximising filled
places first and fairness second. A CP-SAT model (OR-Tools), not a greedy loop: a greedy choice
early can cost a place later. The preview changes nothing; applying re-checks every proposal
through the ordinary sign-up rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import asyncpg
import msgspec

from schemas.rota import Applied, Preview, Proposal, Unfilled
from services.access.service import Access
from services.assignments import service as assignments
from services.clock import TWO_MONTHS, Clock, require_period
from services.db import rows
from services.occurrences.staffing import PAIR_KINDS
from services.problems import ProblemError, refusals
from services.rota.queries import queries
from services.rota.service import _available
from services.rota.solver import MIN_REST, Place, Problem, flow_bound, solve
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"period-over-two-months": N_("Choose a period of up to two months.")})


@dataclass
class _People:
    """The organisation's volunteers as auto-fill weighs them: qualifications, shifts, availability."""

    rows: dict[int, asyncpg.Record]
    held: dict[int, list]
    busy: dict[int, list]

    def qualified(self, person: int, needs: list[str], day: date) -> bool:
        return all(
            any(
                q["name"] == need
                and (q["valid_from"] is None or q["valid_from"] <= day)
                and (q["valid_until"] is None or q["valid_until"] >= day)
                for q in self.held[person]
            )
            for need in needs
        )

    def could_take(self, person: int, place: asyncpg.Record) -> bool:
        """Qualified on the day, inside their weekly times, and rested between shifts."""
        return (
            self.qualified(person, list(place["needs"]), place["local_date"])
            and _available(
                msgspec.json.decode(self.rows[person]["weekly"]),
                place["starts_at"],
                place["ends_at"],
                self.rows[person]["time_zone"],
            )
            and not any(
                s < place["ends_at"] + MIN_REST and place["starts_at"] - MIN_REST < e
                for s, e in self.busy[person]
            )
        )

    def capacity(self) -> dict[int, int]:
        """Minutes each person with a monthly maximum has left."""
        left = {}
        for person, row in self.rows.items():
            if row["max_hours_per_month"] is not None:
                planned = sum((e - s).total_seconds() / 60 for s, e in self.busy[person])
                left[person] = max(int(row["max_hours_per_month"] * 60 - planned), 0)
        return left


async def _people(
    conn: asyncpg.Connection, clock: Clock, access: Access, start: datetime, end: datetime
) -> _People:
    organisation_id = access.organisation_id
    since_30 = clock.now().date() - timedelta(days=30)
    people = {
        r["id"]: r
        for r in await rows(queries.autofill_people(conn, organisation_id=organisation_id, since_30=since_30))
    }
    held: dict[int, list] = defaultdict(list)
    for q in await rows(queries.autofill_qualifications(conn, organisation_id=organisation_id)):
        held[q["person_id"]].append(q)
    busy: dict[int, list] = defaultdict(list)
    for b in await rows(
        queries.autofill_busy(
            conn, organisation_id=organisation_id, starts_from=start - MIN_REST, starts_before=end + MIN_REST
        )
    ):
        busy[b["person_id"]].append((b["starts_at"], b["ends_at"]))
    return _People(people, held, busy)


def _needs(roles: list[asyncpg.Record]) -> dict[int, int]:
    """How many more people each role of an occurrence needs (an outreach visit needs two)."""
    on_it = {p for r in roles for p in r["people"]}
    needs = {r["role_id"]: max(r["min_people"] - len(r["people"]), 0) for r in roles}
    if roles[0]["kind"] in PAIR_KINDS and len(on_it) + sum(needs.values()) < 2:
        roomy = next((r for r in roles if len(r["people"]) + needs[r["role_id"]] < r["max_people"]), roles[0])
        needs[roomy["role_id"]] += 2 - len(on_it) - sum(needs.values())
    return needs


async def build_problem(
    conn: asyncpg.Connection, clock: Clock, access: Access, start: datetime, end: datetime
) -> Problem:
    people = await _people(conn, clock, access, start, end)
    by_occurrence: dict[int, list] = defaultdict(list)
    for r in await rows(
        queries.autofill_places(
            conn, organisation_id=access.organisation_id, starts_from=start, starts_before=end
        )
    ):
        by_occurrence[r["occurrence_id"]].append(r)
    places = []
    for roles in by_occurrence.values():
        on_it = {p for r in roles for p in r["people"]}
        needs = _needs(roles)
        for r in roles:
            if needs[r["role_id"]]:
                eligible = [p for p in people.rows if p not in on_it and people.could_take(p, r)]
                places.append(
                    Place(
                        r["occurrence_id"],
                        r["role_id"],
                        r["starts_at"],
                        r["ends_at"],
                        needs[r["role_id"]],
                        eligible,
                    )
                )
    return Problem(places, {p: r["hours_30"] for p, r in people.rows.items()}, people.capacity())


async def preview(
    conn: asyncpg.Connection, clock: Clock, access: Access, start: datetime, end: datetime
) -> Preview:
    access.require_coordinator("auto-fill the rota")
    require_period(start, end, at_most=TWO_MONTHS, too_long="period-over-two-months")
    problem = await build_problem(conn, clock, access, start, end)
    solution = solve(problem)
    filled: dict[int, list[int]] = defaultdict(list)
    for i, person in solution.chosen:
        filled[i].append(person)
    proposals, unfilled = [], []
    for i, place in enumerate(problem.places):
        for person in filled[i]:
            proposals.append(
                Proposal(
                    place.occurrence_id,
                    place.role_id,
                    person,
                    ["qualified and free", f"{problem.hours_30.get(person, 0):.1f} h in the last 30 days"],
                    problem.hours_30.get(person, 0.0),
                )
            )
        if len(filled[i]) < place.need:
            cause, why = (
                ("nobody_qualified_and_free", "nobody is qualified and free")
                if not place.eligible
                else ("everyone_busy", "everyone who could is busy or at their monthly maximum")
            )
            unfilled.append(
                Unfilled(place.occurrence_id, place.role_id, place.need - len(filled[i]), cause, why)
            )
    return Preview(
        open_places=sum(p.need for p in problem.places),
        filled=len(solution.chosen),
        upper_bound=flow_bound(problem),
        proposals=proposals,
        unfilled=unfilled,
        solver_seconds=round(solution.seconds, 3),
    )


async def apply(conn: asyncpg.Connection, clock: Clock, access: Access, proposals: list[Proposal]) -> Applied:
    """Every proposal goes through the ordinary rules again; one that no longer holds is refused."""
    access.require_coordinator("auto-fill the rota")
    done, refused = [], []
    for proposal in proposals:
        try:
            # She is told of her new shift by the same rule as any assignment made for her.
            await assignments.assign(
                conn, clock, access, proposal.occurrence_id, proposal.role_id, proposal.person_id
            )
            done.append(proposal)
        except ProblemError as exc:
            refused.append((proposal, exc.detail))
    return Applied(done, refused)
