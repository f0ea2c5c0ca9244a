from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

import msgspec

from schemas.common import Id, Language, Name, OrganisationKind, TimeZone

Slug = Annotated[str, msgspec.Meta(pattern=r"^[a-z0-9][a-z0-9-]{1,62}$", examples=["malmo-shelter"])]
Country = Annotated[str, msgspec.Meta(pattern=r"^[A-Z]{2}$", examples=["SE"])]


class Organisation(msgspec.Struct):
    id: Id
    slug: str
    name: str
    kind: OrganisationKind
    country: str
    default_language: Language
    time_zone: str
    withdrawal_cutoff_hours: int
    horizon_weeks: int
    escalation_enabled: bool
    cover_batch_size: int
    booking_reminder_days: int
    created_at: datetime


class OrganisationCreate(msgspec.Struct, forbid_unknown_fields=True):
    slug: Slug
    name: Name
    kind: OrganisationKind
    country: Country
    default_language: Language
    time_zone: TimeZone


class OrganisationUpdate(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    name: Name | None = None
    default_language: Language | None = None
    time_zone: TimeZone | None = None
    # A withdrawal closer to the start than this is still allowed, but marked late.
    withdrawal_cutoff_hours: Annotated[int, msgspec.Meta(ge=0, le=720)] | None = None
    # How far ahead occurrences are materialised.
    horizon_weeks: Annotated[int, msgspec.Meta(ge=1, le=104)] | None = None
    # Gaps within 48 h get a cover request from the service, asking this many people at a time.
    escalation_enabled: bool | None = None
    cover_batch_size: Annotated[int, msgspec.Meta(ge=1, le=50)] | None = None
    # A partner's days to answer a room request before a reminder (and as many again before the
    # borrowing coordinators are told).
    booking_reminder_days: Annotated[int, msgspec.Meta(ge=1, le=30)] | None = None


class Partnership(msgspec.Struct):
    """Two organisations that agreed to share activities (and so their members' names on them)."""

    id: Id
    partner_id: Id
    partner_name: str
    partner_slug: str
    # asked_by_us: waiting for their coordinator; asked_of_us: ours may accept; partners: both agreed
    state: Literal["asked_by_us", "asked_of_us", "partners"]
    asked_at: datetime
    accepted_at: datetime | None


class PartnershipAsk(msgspec.Struct, forbid_unknown_fields=True):
    partner: Slug  # the other organisation's short name, as its coordinator gives it
