"""The auto-fill model: open places and the people who may take them, solved with CP-SAT for the
most places filled first and fairness second (a greedy choice early can cost a place later), and
the max-flow bound that says how many could be filled at best."""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ortools.graph.python import max_flow
from ortools.sat.python import cp_model

from schemas.common import Id

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
