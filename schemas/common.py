from __future__ import annotations

from typing import Annotated, Generic, Literal, TypeVar

import msgspec

Language = Literal["sv", "nb", "cs", "en"]
Role = Literal["coordinator", "volunteer", "partner_contact"]
# What a membership can be: a role, or a volunteer who stopped (kept for her hours).
MemberRole = Literal["coordinator", "volunteer", "partner_contact", "former_volunteer"]
OrganisationKind = Literal["support_organisation", "municipal_team", "partner_congregation"]

# Row ids are PostgreSQL bigints: a larger number can name nothing, and is refused at the edge.
Id = Annotated[int, msgspec.Meta(ge=1, le=2**63 - 1)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
TimeZone = Annotated[str, msgspec.Meta(min_length=1, max_length=64, examples=["Europe/Stockholm"])]
Phone = Annotated[
    str,
    msgspec.Meta(
        min_length=3,
        max_length=32,
        description="E.164 (+46701740605) or local to the organisation's country (070-174 06 05)",
    ),
]

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """One page of a list. Pass `next_cursor` back as `cursor` for the next page."""

    items: list[T]
    next_cursor: str | None = None


class FieldError(msgspec.Struct, omit_defaults=True):
    field: str
    message: str
    row: int | None = None


class Problem(msgspec.Struct, omit_defaults=True):
    """RFC 9457 problem details."""

    title: str
    status: int
    detail: str
    type: str = "about:blank"
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None
