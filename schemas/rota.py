"""Gaps in the rota and the people who could fill them."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from schemas.common import Id
from schemas.scheduling import ActivityKind

GapCause = Literal["short", "qualification_expired", "pair_rule"]
Exclusion = Literal[
    "already_on_it",
    "said_no",
    "not_qualified",
    "overlapping_shift",
    "blackout",
    "not_available",
    "monthly_maximum",
]


class GapReason(msgspec.Struct, omit_defaults=True):
    cause: GapCause
    detail: str
    role_id: Id | None = None
    role_name: str | None = None
    missing: int | None = None
    person_id: Id | None = None
    person_name: str | None = None
    qualifications: list[str] | None = None  # the ones a person on the role lacks that day


class Gap(msgspec.Struct):
    occurrence_id: Id
    activity_id: Id
    title: str
    kind: ActivityKind
    starts_at: datetime
    time_zone: str
    hours_to_start: float
    people_missing: int
    urgency: float
    reasons: list[GapReason]


class Candidate(msgspec.Struct):
    person_id: Id
    display_name: str
    rank: int
    hours_last_30_days: float
    hours_last_90_days: float
    times_on_this_activity: int
    speaks_organisation_language: bool
    reachable_by_sms: bool
    no_shows_last_90_days: int  # shifts she was on and did not come to
    reasons: list[str]


class Excluded(msgspec.Struct):
    person_id: Id
    display_name: str
    rules: list[Exclusion]
    detail: str


class Candidates(msgspec.Struct):
    occurrence_id: Id
    role_id: Id
    ranked: list[Candidate]
    excluded: list[Excluded]


class MonthlyMaximum(msgspec.Struct, forbid_unknown_fields=True):
    max_hours_per_month: Annotated[int, msgspec.Meta(ge=0, le=744)] | None


class CoverAsk(msgspec.Struct, forbid_unknown_fields=True):
    people: Annotated[int, msgspec.Meta(ge=1, le=50)] = 3
    answer_within_minutes: Annotated[int, msgspec.Meta(ge=5, le=10080)] = 180


class Proposal(msgspec.Struct):
    occurrence_id: Id
    role_id: Id
    person_id: Id
    reasons: list[str] = []
    hours_last_30_days: float = 0.0


class Unfilled(msgspec.Struct):
    occurrence_id: Id
    role_id: Id
    missing: int
    cause: Literal["nobody_qualified_and_free", "everyone_busy"]
    why: str


class Preview(msgspec.Struct):
    open_places: int
    filled: int
    upper_bound: int
    proposals: list[Proposal]
    unfilled: list[Unfilled]
    solver_seconds: float


class Applied(msgspec.Struct):
    applied: list[Proposal]
    refused: list[tuple[Proposal, str]]


class SwapRequest(msgspec.Struct, forbid_unknown_fields=True):
    offered_to: int | None = None  # a colleague's person id; leave out for anyone eligible


class Period(msgspec.Struct, forbid_unknown_fields=True):
    start: Annotated[datetime, msgspec.Meta(tz=True)]
    end: Annotated[datetime, msgspec.Meta(tz=True)]


class ApplyPlan(msgspec.Struct, forbid_unknown_fields=True):
    proposals: list[Proposal]


class SwapOffer(msgspec.Struct):
    id: int
    assignment_id: int
    occurrence_id: int
    role_id: int
    offered_by: int
    offered_to: int | None
    status: str
    new_assignment_id: int | None = None
    title: str | None = None
    starts_at: datetime | None = None
    time_zone: str | None = None


class CoverRequest(msgspec.Struct):
    id: int
    occurrence_id: int
    role_id: int
    code: str
    status: str
    expires_at: object
    texts_wait_until: object  # the asks are held back by someone's quiet hours until then, or None
    asked: list[int]
    filled_by: int | None
    assignment_id: int | None
