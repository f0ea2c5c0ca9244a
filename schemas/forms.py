"""What the pages' forms post, checked by msgspec like any other input (numbers arrive as text)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec

from schemas.common import Id


class SignInForm(msgspec.Struct):
    token: Annotated[str, msgspec.Meta(max_length=200)] = ""


class AskForm(msgspec.Struct):
    people: Annotated[int, msgspec.Meta(ge=1, le=50)] = 3
    answer_within_minutes: Annotated[int, msgspec.Meta(ge=5, le=10080)] = 180


class PeriodForm(msgspec.Struct):
    start: date
    end: date


class RoomForm(msgspec.Struct):
    activity_id: Id
    occurrence_id: Id
    venue_id: Id
