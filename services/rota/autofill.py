"""Auto-fill: for a period, propose assignments for every open place that respect every rule
(qualifications on the day, weekly availability, blackouts and existing shifts, one role per
occurrence, no overlaps with a minimum rest between shifts, monthly maximums), maximising filled
places first and fairness second. A CP-SAT model (OR-Tools), not a greedy loop: a greedy choice
early can cost a place later. The preview changes nothing; applying re-checks every proposal
through the ordinary sign-up rules."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import asyncpg
import msgspec
from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from schemas.common import Id
from schemas.rota import Applied, Preview, Proposal, Unfilled
from services.access.service import Access
from services.assignments import service as assignments
from services.clock import TWO_MONTHS, Clock, require_period
from services.db import rows
from services.notices import reminders
from services.notices import service as notices
from services.occurrences.staffing import PAIR_KINDS
from services.problems import ProblemError, refusals
from services.rota.queries import queries
from services.rota.service import _available
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"period-over-two-months": N_("Choose a period of up to two months.")})

MIN_REST = timedelta(hours=1)


@dataclass
class Place:
    occurrence_id: Id
    role_id: Id
    starts_at: datetime
    ends_at: datetime
    need: int
    eligible: list[int] = field(default_factory=list)

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@dataclass
class Problem:
    places: list[Place]
    hours_30: dict[int, float]  # person → attended hours in the last 30 days (fairness)
    capacity_minutes: dict[int, int]  # person → minutes left under their monthly maximum
    rest: timedelta = MIN_REST


@dataclass
class Solution:
    chosen: list[tuple[int, int]]  # (place index, person)
    optimal: bool
    seconds: float


def solve(problem: Problem, time_limit: float = 9.0, shortlist: int | None = 12) -> Solution:
    """Best plan within the time limit. Each place first offers only its `shortlist` fairest
    candidates (fewest places offered so far, fewest recent hours), which keeps the model small;
    if that leaves places below the max-flow bound, the full model gets the time that is left."""
    started = time.perf_counter()
    result = _solve(problem, shortlist, time_limit)
    left = time_limit - (time.perf_counter() - started)
    if shortlist is not None and left > 1 and len(result.chosen) < flow_bound(problem):
        full = _solve(problem, None, left)
        if len(full.chosen) > len(result.chosen):
            result = full
    return Solution(result.chosen, result.optimal, time.perf_counter() - started)


def _running_together(problem: Problem, indices: list[int], longest: timedelta) -> list[tuple[int, ...]]:
    """Overlap (with the rest between shifts): at any start time, at most one of a person's places
    that are running then. The places running at a moment form a clique; each clique once."""
    indices.sort(key=lambda i: problem.places[i].starts_at)
    cliques: dict[tuple[int, ...], None] = {}  # in order, each once
    for a, i in enumerate(indices):
        moment = problem.places[i].starts_at
        clique = [i]
        b = a - 1
        while b >= 0 and problem.places[indices[b]].starts_at > moment - longest:
            if problem.places[indices[b]].ends_at + problem.rest > moment:
                clique.append(indices[b])
            b -= 1
        key = tuple(sorted(clique))
        if len(key) > 1:
            cliques[key] = None
    return list(cliques)


def _solve(problem: Problem, shortlist: int | None, time_limit: float) -> Solution:
    started = time.perf_counter()
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    offered: dict[int, int] = defaultdict(int)
    places_of: dict[int, list[int]] = defaultdict(list)
    per_occurrence: dict[tuple[int, int], list] = defaultdict(list)
    for i, place in enumerate(problem.places):
        people = sorted(place.eligible, key=lambda q: (offered[q], problem.hours_30.get(q, 0.0), q))
        here = []
        for person in people[:shortlist] if shortlist else people:
            offered[person] += 1
            x[i, person] = model.NewBoolVar(f"x{i}_{person}")
            here.append(x[i, person])
            places_of[person].append(i)
            per_occurrence[place.occurrence_id, person].append(x[i, person])
        if here:
            model.Add(sum(here) <= place.need)
    longest = max((p.ends_at - p.starts_at for p in problem.places), default=timedelta()) + problem.rest
    for person, indices in places_of.items():
        for clique in _running_together(problem, indices, longest):
            model.AddAtMostOne(x[j, person] for j in clique)
        if person in problem.capacity_minutes:
            model.Add(
                sum(problem.places[i].minutes * x[i, person] for i in indices)
                <= problem.capacity_minutes[person]
            )
    for vars_ in per_occurrence.values():
        if len(vars_) > 1:
            model.AddAtMostOne(vars_)
    filled = sum(x.values()) if x else 0
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 2
    # Filled places first, fairness second: two solves, the second keeping the first's coverage.
    solver.parameters.max_time_in_seconds = time_limit * 0.6
    model.Maximize(filled)
    status = solver.Solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Solution([], False, time.perf_counter() - started)
    coverage_optimal = status == cp_model.OPTIMAL
    first = {key: solver.Value(v) for key, v in x.items()}
    busiest = model.NewIntVar(0, max((len(v) for v in places_of.values()), default=0), "busiest")
    for person, indices in places_of.items():
        model.Add(busiest >= sum(x[i, person] for i in indices))
    model.Add(filled >= int(solver.ObjectiveValue()))
    for key, var in x.items():
        model.AddHint(var, first[key])
    history = [int(round(problem.hours_30.get(p, 0.0))) * x[i, p] for (i, p) in x]
    model.Minimize(len(x) * busiest + sum(history))
    solver.parameters.max_time_in_seconds = max(time_limit - (time.perf_counter() - started), 0.5)
    if solver.Solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [key for key, v in x.items() if solver.Value(v)]
    else:  # the fairness pass found nothing in time: keep the first plan
        chosen = [key for key, value in first.items() if value]
    return Solution(chosen, coverage_optimal, time.perf_counter() - started)


def flow_bound(problem: Problem) -> int:
    """An upper bound on fillable places (ignores overlaps and monthly maximums): max-flow from
    places (capacity: need) through eligible people (one per place) to the sink."""
    flow = max_flow.SimpleMaxFlow()
    people = sorted({p for place in problem.places for p in place.eligible})
    node = {person: len(problem.places) + 2 + k for k, person in enumerate(people)}
    source, sink = len(problem.places), len(problem.places) + 1
    for i, place in enumerate(problem.places):
        flow.add_arc_with_capacity(source, i, place.need)
        for person in place.eligible:
            flow.add_arc_with_capacity(i, node[person], 1)
    for person in people:
        flow.add_arc_with_capacity(node[person], sink, len(problem.places))
    return flow.optimal_flow() if flow.solve(source, sink) == flow.OPTIMAL else 0


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


async def _tell_assigned(conn: asyncpg.Connection, clock: Clock, access: Access, assignment_id: int) -> None:
    """The person hears of a shift they did not sign up for themselves (reminders follow as usual)."""
    shift = await reminders.shift_of(conn, assignment_id)
    await notices.tell(
        conn,
        clock,
        shift.person_id,
        key=f"assigned:{assignment_id}",
        template="assigned",
        organisation_id=access.organisation_id,
        before=shift.starts_at,
        what=shift.title,
        moment=shift.starts_at,
        where=shift.place_name or "",  # a place's name only, never an address
        code=shift.code or "",
    )


async def apply(conn: asyncpg.Connection, clock: Clock, access: Access, proposals: list[Proposal]) -> Applied:
    """Every proposal goes through the ordinary rules again; one that no longer holds is refused."""
    access.require_coordinator("auto-fill the rota")
    done, refused = [], []
    for proposal in proposals:
        try:
            async with conn.transaction():
                made = await assignments.assign(
                    conn, clock, access, proposal.occurrence_id, proposal.role_id, proposal.person_id
                )
                await _tell_assigned(conn, clock, access, made.id)
            done.append(proposal)
        except ProblemError as exc:
            refused.append((proposal, exc.detail))
    return Applied(done, refused)
