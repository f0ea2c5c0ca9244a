"""Auto-fill: the solver's plan never breaks a rule (checked over random instances), fills as many
places as a max-flow bound allows when overlaps do not bind, and applying re-checks everything."""

import random
from datetime import UTC, datetime, timedelta

import pytest

from services.rota.solver import Place, Problem, flow_bound, solve
from tests.support.factories import add_member
from tests.support.scheduling import plan

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


def random_problem(seed: int) -> Problem:
    rng = random.Random(seed)
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    persons = list(range(1, rng.randint(3, 12)))
    places = []
    for n in range(rng.randint(3, 25)):
        begins = start + timedelta(hours=rng.randint(0, 72))
        places.append(
            Place(
                occurrence_id=n // 2,
                role_id=n % 2,
                starts_at=begins,
                ends_at=begins + timedelta(hours=rng.choice([1, 2, 3])),
                need=rng.randint(1, 2),
                eligible=rng.sample(persons, rng.randint(0, len(persons))),
            )
        )
    capacity = {p: rng.choice([120, 240, 600]) for p in persons if rng.random() < 0.3}
    return Problem(places, {p: rng.random() * 10 for p in persons}, capacity)


def test_plans_never_break_a_rule_over_random_instances():
    for seed in range(40):
        problem = random_problem(seed)
        solution = solve(problem, time_limit=5)
        taken: dict[int, list] = {}
        per_place = [0] * len(problem.places)
        per_occurrence = set()
        minutes: dict[int, int] = {}
        for i, person in solution.chosen:
            place = problem.places[i]
            assert person in place.eligible, seed
            per_place[i] += 1
            assert (place.occurrence_id, person) not in per_occurrence, seed  # one role per occurrence
            per_occurrence.add((place.occurrence_id, person))
            for other in taken.setdefault(person, []):  # no overlap, with the minimum rest
                assert (
                    place.ends_at + problem.rest <= other.starts_at
                    or other.ends_at + problem.rest <= place.starts_at
                ), seed
            taken[person].append(place)
            minutes[person] = minutes.get(person, 0) + place.minutes
        assert all(count <= place.need for count, place in zip(per_place, problem.places, strict=True)), seed
        assert all(minutes.get(p, 0) <= cap for p, cap in problem.capacity_minutes.items()), seed
        assert len(solution.chosen) <= flow_bound(problem), seed


def test_fills_up_to_the_flow_bound_when_nothing_overlaps():
    start = datetime(2026, 3, 2, 8, tzinfo=UTC)
    places = [
        Place(
            n,
            1,
            start + timedelta(days=n),
            start + timedelta(days=n, hours=2),
            need=2,
            eligible=[1, 2, 3][: 1 + n % 3],
        )
        for n in range(9)
    ]
    problem = Problem(places, {1: 0.0, 2: 5.0, 3: 0.0}, {})
    solution = solve(problem)
    assert solution.optimal and len(solution.chosen) == flow_bound(problem) == 15
    # Fairness second: the one with 5 h recently gets no more than the others.
    load = {p: sum(1 for _i, q in solution.chosen if q == p) for p in (1, 2, 3)}
    assert load[2] <= load[1]


async def test_preview_then_apply_through_the_api(client, conn, clock, org):
    for n in range(3):
        await add_member(conn, clock, org, f"Driver {n}")
    await plan(
        client,
        org,
        rrule="FREQ=WEEKLY;BYDAY=TU,FR;COUNT=4",
        roles=[{"name": "driver", "min_people": 2, "max_people": 2}],
    )
    period = {"start": "2026-03-02T00:00:00+01:00", "end": "2026-03-16T00:00:00+01:00"}
    preview = await client.post(f"/organisations/{org.id}/autofill/preview", headers=org.auth(), json=period)
    assert preview.status_code == 200, preview.text
    plan_ = preview.json()
    assert (
        plan_["open_places"] == 8 and plan_["filled"] == 8 == plan_["upper_bound"] and plan_["unfilled"] == []
    )
    assert await conn.fetchval("SELECT count(*) FROM assignments") == 0  # a preview changes nothing

    # Something changes before applying: one place is taken by hand in the meantime.
    first = plan_["proposals"][0]
    other = next(p for p in plan_["proposals"] if p["occurrence_id"] == first["occurrence_id"] and p != first)
    taker = next(
        pid
        for pid in (org.volunteer_id, org.coordinator_id)
        if pid not in (first["person_id"], other["person_id"])
    )
    await client.post(
        f"/organisations/{org.id}/occurrences/{first['occurrence_id']}/assignments",
        headers=org.auth(),
        json={"role_id": first["role_id"], "person_id": taker},
    )
    applied = await client.post(
        f"/organisations/{org.id}/autofill/apply", headers=org.auth(), json={"proposals": plan_["proposals"]}
    )
    assert applied.status_code == 200
    result = applied.json()
    assert len(result["applied"]) == 7 and len(result["refused"]) == 1
    assert "taken" in result["refused"][0][1]
    again = (
        await client.post(f"/organisations/{org.id}/autofill/preview", headers=org.auth(), json=period)
    ).json()
    assert again["open_places"] == 0
    assert (
        await client.post(
            f"/organisations/{org.id}/autofill/preview", headers=org.auth("volunteer"), json=period
        )
    ).status_code == 403


def test_unfilled_places_say_why():
    problem = Problem(
        [Place(1, 1, datetime(2026, 3, 3, 9, tzinfo=UTC), datetime(2026, 3, 3, 11, tzinfo=UTC), 1, [])],
        {},
        {},
    )
    assert solve(problem).chosen == [] and flow_bound(problem) == 0
