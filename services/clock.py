"""The service's notion of now. Rules take a clock so tests can stand at any instant."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable

from services.problems import Unprocessable, refusals
from services.words import N_

# What a person reads on a page when these rules say no (the API says it in English, in the detail).
REFUSALS = refusals({"period-backwards": N_("The end must come after the start.")})


@runtime_checkable
class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that only moves when told to (tests, demos)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._at = at

    def now(self) -> datetime:
        return self._at

    def advance(self, delta: timedelta) -> None:
        self._at += delta


class RunningClock:
    """A clock that starts at a given instant and runs on in elapsed time: the processes a test
    starts (`VOLOPS_CLOCK_START`) live at the test's "now" whatever the hour on the machine."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("RunningClock needs an aware datetime")
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._began)


def process_clock(start: datetime | None) -> Clock:
    """The clock of a `volops` process: the real one unless its settings pin a start."""
    return SystemClock() if start is None else RunningClock(start)


# The years a date a person types may fall in: the service plans volunteer work, so anything
# outside is a typing mistake, and refused at the edge (contracts, query parameters, page forms)
# with these words, before date arithmetic or PostgreSQL meet it.
FIRST_YEAR = 2000
LAST_YEAR = 2099
YEARS_WORDS = f"a date between {FIRST_YEAR} and {LAST_YEAR}"


def sane_year(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


A_YEAR = timedelta(days=366)
TWO_MONTHS = timedelta(days=62)


def require_period(start: datetime, end: datetime, *, at_most: timedelta, too_long: str) -> None:
    """A period someone asked for: its end after its start, and no longer than the rule's limit.
    Each limit has its own problem code (`too_long`), so a page can say which one."""
    if end <= start:
        raise Unprocessable("The end must come after the start.", code="period-backwards")
    if end - start > at_most:
        raise Unprocessable(f"Ask for at most {at_most.days} days at a time.", code=too_long)
