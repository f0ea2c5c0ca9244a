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
