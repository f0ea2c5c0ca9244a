"""Errors the rules raise, each turned into an RFC 9457 problem with a human-readable detail."""

from __future__ import annotations

from schemas.common import FieldError

PROBLEM_BASE = "https://volops.example/problems/"


class ProblemError(Exception):
    status = 400
    title = "Bad request"

    def __init_subclass__(cls, *, status: int | None = None, title: str | None = None, **rest) -> None:
        """A kind of problem says its status and title once, where it is declared."""
        super().__init_subclass__(**rest)
        cls.status, cls.title = status or cls.status, title or cls.title

    def __init__(
        self,
        detail: str,
        *,
        code: str | None = None,
        errors: list[FieldError] | None = None,
        names: dict[str, str] | None = None,
    ):
        super().__init__(detail)
        self.detail = detail
        self.code = code
        self.errors = errors
        # What the page's words for this refusal name ("{needs}": a qualification), in the data's
        # own words; the API says it in the detail.
        self.names = names or {}

    @property
    def type(self) -> str:
        return PROBLEM_BASE + self.code if self.code else "about:blank"


# Each kind of problem by its HTTP status; the code names the rule, the detail says it in words.
class Unauthorized(ProblemError, status=401, title="Not signed in"): ...


class Forbidden(ProblemError, status=403, title="Not allowed"): ...


class NotFound(ProblemError, status=404, title="Not found"): ...


class Conflict(ProblemError, status=409, title="Conflict"): ...


class Gone(ProblemError, status=410, title="Gone"): ...


class Unprocessable(ProblemError, status=422, title="Cannot be accepted"): ...


# Every refusal's words for a person on a page, by code, each declared once beside its rule
# (`REFUSALS = refusals({...})` in the module that says no).
REFUSALS: dict[str, str] = {}


def refusals(said: dict[str, str]) -> dict[str, str]:
    for code, words in said.items():
        if REFUSALS.setdefault(code, words) != words:
            raise ValueError(f"the refusal {code} has words in two places")
    return said
