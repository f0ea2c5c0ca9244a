from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

from schemas.common import FieldError, Id, Language, MemberRole, Name, Phone, Role, TimeZone


class Person(msgspec.Struct):
    """A person as a coordinator of the organisation sees them."""

    id: Id
    display_name: str
    phone: str | None
    language: Language
    time_zone: str
    sms_consent: bool
    # Minutes before a shift to be reminded; null: the organisation's defaults; []: no reminders.
    reminder_offsets_minutes: list[int] | None
    roles: list[MemberRole]
    created_at: datetime
    updated_at: datetime
    # The number came back with a code sent to it. One typed by a coordinator is not proven: it
    # never signs anyone in.
    phone_proven: bool = False
    # A number she changed her own to, waiting for the code texted to it (then it becomes `phone`).
    phone_waiting_for_code: str | None = None


class PhoneCode(msgspec.Struct, forbid_unknown_fields=True):
    """The code texted to the new number, proving it is hers."""

    code: Annotated[str, msgspec.Meta(pattern=r"^\s*\d{6}\s*$")]


class PersonCreate(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Name
    roles: Annotated[list[Role], msgspec.Meta(min_length=1, max_length=3)]
    phone: Phone | None = None
    language: Language | None = None  # the organisation's default language when left out
    time_zone: Annotated[str, msgspec.Meta(max_length=64)] | None = None
    sms_consent: bool = False
    # The coordinator confirms two people here share a number; their SMS answers go by code.
    shares_phone: bool = False


class PersonUpdate(msgspec.Struct, forbid_unknown_fields=True):
    display_name: Name | msgspec.UnsetType = msgspec.UNSET
    phone: Phone | None | msgspec.UnsetType = msgspec.UNSET
    language: Language | msgspec.UnsetType = msgspec.UNSET
    time_zone: TimeZone | msgspec.UnsetType = msgspec.UNSET
    sms_consent: bool | msgspec.UnsetType = msgspec.UNSET
    shares_phone: bool | msgspec.UnsetType = msgspec.UNSET
    reminder_offsets_minutes: (
        Annotated[list[Annotated[int, msgspec.Meta(ge=1, le=20160)]], msgspec.Meta(max_length=5)]
        | None
        | msgspec.UnsetType
    ) = msgspec.UNSET


class RoleChange(msgspec.Struct, forbid_unknown_fields=True):
    role: Role


class QualificationType(msgspec.Struct):
    id: Id
    name: str


class QualificationTypeCreate(msgspec.Struct, forbid_unknown_fields=True):
    name: Annotated[str, msgspec.Meta(min_length=1, max_length=100)]


class PersonQualification(msgspec.Struct):
    id: Id
    qualification_type_id: Id
    name: str
    valid_from: date | None
    valid_until: date | None
    recorded_by: int | None
    recorded_at: datetime


class ExpiringQualification(msgspec.Struct):
    """A member's qualification that ends soon and has not been renewed."""

    person_id: Id
    person_name: str
    qualification_type_id: Id
    name: str
    valid_until: date


class PersonQualificationCreate(msgspec.Struct, forbid_unknown_fields=True):
    qualification_type_id: Id
    valid_from: date | None = None
    valid_until: date | None = None


class ImportReport(msgspec.Struct):
    """What an import did, or (when `imported` is false) why it did nothing."""

    imported: bool
    rows: int
    created: int
    updated: int
    unchanged: int
    skipped: int
    errors: list[FieldError]


class PageLinkSent(msgspec.Struct):
    """Whether the link went out: false when the person has no number, no SMS consent, or said STOP."""

    sent: bool


class ErasureRequest(msgspec.Struct, forbid_unknown_fields=True):
    """Erasing cannot be undone: say so with `confirm: true`."""

    confirm: bool


class Erased(msgspec.Struct):
    erased: bool
    shifts_freed: int


class InactiveVolunteer(msgspec.Struct):
    """A volunteer with no shift for the organisation's months, anonymised on that day unless kept."""

    id: int
    display_name: str
    seen: datetime
    anonymised_on: datetime
    keep_while_inactive: bool


class Keep(msgspec.Struct, forbid_unknown_fields=True):
    keep: bool
