"""Gaps and candidates.

A gap is a scheduled occurrence in a window that lacks people or qualifications for a role, or an
outreach visit with fewer than two people. Gaps are computed from the rows on every read, so a "no"
by SMS, a late withdrawal or an expired qualification shows at once. They are ranked by urgency:
people missing per hour left before the start.

Candidates for a gap are the organisation's members who could take it: qualified on the day, free
(no overlapping shift, no blackout, inside their weekly availability if they gave one), under their
monthly maximum. They are ranked by fairness (fewest hours in the last 30, then 90 days), then
experience with the activity, then language; each with the reasons for their place, and everyone
left out with the rule that left them out.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import asyncpg
import msgspec

from schemas.rota import Candidate, Candidates, Excluded, Gap, GapReason
from services.access.service import Access
from services.assignments import service as assignments
from services.clock import A_YEAR, Clock, require_period
from services.db import rows
from services.notices import service as notices
from services.occurrences import service as occurrences
from services.organisations import service as organisations
from services.problems import Unprocessable
from services.rota.queries import queries

PAIR_KINDS = {"outreach_visit"}


async def gaps(
    conn: asyncpg.Connection, clock: Clock, access: Access, start: datetime, end: datetime
) -> list[Gap]:
    access.require_coordinator("see the rota's gaps")
    require_period(start, end, at_most=A_YEAR, too_long="period-over-a-year")
    now = clock.now()
    by_occurrence: dict[int, list[asyncpg.Record]] = defaultdict(list)
    for row in await rows(
        queries.role_staffing(
            conn, organisation_id=access.organisation_id, starts_from=start, starts_before=end
        )
    ):
        by_occurrence[row["occurrence_id"]].append(row)
    found = [gap for roles in by_occurrence.values() if (gap := _gap(roles, now)) is not None]
    found.sort(key=lambda g: (-g.urgency, g.starts_at, g.occurrence_id))
    return found


def _role_reasons(role: asyncpg.Record, local_date) -> tuple[list[GapReason], int, int]:
    """Why one role of an occurrence is short: too few people, or people whose qualification is not
    valid that day. With how many are missing and how many qualified people it has."""
    reasons = []
    unqualified = msgspec.json.decode(role["unqualified"])
    qualified = role["taken"] - len(unqualified)
    if role["taken"] < role["min_people"]:
        reasons.append(
            GapReason(
                cause="short",
                role_id=role["role_id"],
                role_name=role["role_name"],
                missing=role["min_people"] - role["taken"],
                detail=f"{role['role_name']}: {role['taken']} of at least {role['min_people']}",
            )
        )
    for person in unqualified:
        lacks = ", ".join(person["missing"])
        reasons.append(
            GapReason(
                cause="qualification_expired",
                role_id=role["role_id"],
                role_name=role["role_name"],
                person_id=person["person_id"],
                person_name=person["name"],
                qualifications=person["missing"],
                detail=f"{role['role_name']}: {person['name']} lacks {lacks} on {local_date}",
            )
        )
    return reasons, max(role["min_people"] - qualified, 0), qualified


def _gap(roles: list[asyncpg.Record], now: datetime) -> Gap | None:
    """The occurrence's gap (its roles' rows), or None when it is staffed."""
    first = roles[0]
    reasons: list[GapReason] = []
    missing_total = qualified_total = 0
    for role in roles:
        role_reasons, missing, qualified = _role_reasons(role, first["local_date"])
        reasons += role_reasons
        missing_total += missing
        qualified_total += qualified
    if first["kind"] in PAIR_KINDS and qualified_total < 2:
        pair_missing = 2 - qualified_total
        missing_total = max(missing_total, pair_missing)
        # The second person goes into a role that still has room.
        roomy = next((r for r in roles if r["taken"] < r["max_people"]), first)
        reasons.append(
            GapReason(
                cause="pair_rule",
                role_id=roomy["role_id"],
                role_name=roomy["role_name"],
                missing=pair_missing,
                detail="an outreach visit is never done alone",
            )
        )
    if not reasons:
        return None
    hours = (first["starts_at"] - now).total_seconds() / 3600
    return Gap(
        occurrence_id=first["occurrence_id"],
        activity_id=first["activity_id"],
        title=first["title"],
        kind=first["kind"],
        starts_at=first["starts_at"],
        time_zone=first["time_zone"],
        hours_to_start=round(hours, 1),
        people_missing=max(missing_total, 1),
        urgency=round(max(missing_total, 1) / max(hours, 0.5), 4),
        reasons=reasons,
    )


def _available(weekly: list[dict], starts_at: datetime, ends_at: datetime, time_zone: str) -> bool:
    """Inside one of the person's weekly slots (in their zone); no pattern given means no limit."""
    if not weekly:
        return True
    zone = ZoneInfo(time_zone)
    start, end = starts_at.astimezone(zone), ends_at.astimezone(zone)
    if start.date() != end.date() and end.time() != time(0):
        return False
    for slot in weekly:
        if (
            slot["weekday"] == start.isoweekday()
            and time.fromisoformat(slot["start"]) <= start.time()
            and (end.time() == time(0) or end.time() <= time.fromisoformat(slot["end"]))
        ):
            return True
    return False


def _rules_against(person: asyncpg.Record, occurrence: asyncpg.Record) -> tuple[list[str], list[str]]:
    """The sign-up rules that leave this person out of the occurrence, each with why."""
    maximum = person["max_hours_per_month"]
    shift_hours = (occurrence.ends_at - occurrence.starts_at).total_seconds() / 3600
    over_maximum = maximum is not None and person["month_hours"] + shift_hours > maximum
    weekly = msgspec.json.decode(person["weekly"])
    checks = (
        ("already_on_it", person["already_on"], "already on this occurrence"),
        ("said_no", person["said_no"], "withdrew from it or said no when asked"),
        (
            "not_qualified",
            bool(person["missing"]),
            f"needs {', '.join(person['missing'] or [])} valid on {occurrence.local_date}",
        ),
        ("overlapping_shift", person["clash"], "has another shift at that time"),
        ("blackout", person["blacked_out"], "has said they are away then"),
        (
            "not_available",
            not _available(weekly, occurrence.starts_at, occurrence.ends_at, person["time_zone"]),
            "outside their weekly availability",
        ),
        (
            "monthly_maximum",
            over_maximum,
            f"would pass their {maximum} h a month ({person['month_hours']:.1f} h planned)"
            if over_maximum
            else "",
        ),
    )
    rules = [rule for rule, applies, _why in checks if applies]
    details = [why for _rule, applies, why in checks if applies]
    return rules, details


def _candidate(rank: int, person: asyncpg.Record, language: str, reachable: bool) -> Candidate:
    reasons = [
        f"{person['hours_30']:.1f} h in the last 30 days",
        f"{person['hours_90']:.1f} h in the last 90 days",
        f"on this activity {person['experience']} time(s) before",
    ]
    if person["language"] == language:
        reasons.append(f"speaks {language}")
    if person["no_shows_90"]:
        reasons.append(f"did not come {person['no_shows_90']} time(s) in the last 90 days")
    if not reachable:
        reasons.append("cannot be asked by SMS (no number or no consent)")
    return Candidate(
        person_id=person["id"],
        display_name=person["display_name"],
        rank=rank,
        hours_last_30_days=person["hours_30"],
        hours_last_90_days=person["hours_90"],
        times_on_this_activity=person["experience"],
        speaks_organisation_language=person["language"] == language,
        reachable_by_sms=reachable,
        no_shows_last_90_days=person["no_shows_90"],
        reasons=reasons,
    )


async def candidates(
    conn: asyncpg.Connection, clock: Clock, access: Access, occurrence_id: int, role_id: int
) -> Candidates:
    access.require_coordinator("see candidates")
    occurrence = await occurrences.occurrence_for(conn, access, occurrence_id)
    if not await assignments.role_of_activity(conn, occurrence.activity_id, role_id):
        raise Unprocessable(f"role_id: the activity has no role {role_id}.", code="unknown-role")
    today = clock.now().date()
    month_start = occurrence.local_date.replace(day=1)
    month_end = date(month_start.year + month_start.month // 12, month_start.month % 12 + 1, 1)
    organisation = await organisations.get(conn, access, access.organisation_id)
    facts = await rows(
        queries.candidate_facts(
            conn,
            occurrence_id=occurrence_id,
            role_id=role_id,
            since_30=today - timedelta(days=30),
            since_90=today - timedelta(days=90),
            month_start=month_start,
            month_end=month_end,
        )
    )
    eligible, excluded = [], []
    for person in facts:
        rules, details = _rules_against(person, occurrence)
        if rules:
            excluded.append(Excluded(person["id"], person["display_name"], rules, "; ".join(details)))
        else:
            eligible.append(person)
    language = organisation.default_language
    # Whoever came when she said she would goes first; then whoever has given fewest hours lately.
    eligible.sort(
        key=lambda p: (
            p["no_shows_90"],
            p["hours_30"],
            p["hours_90"],
            -p["experience"],
            p["language"] != language,
            p["id"],
        )
    )
    reachable = await notices.reachable_among(conn, [person["id"] for person in eligible])
    ranked = [
        _candidate(rank, person, language, person["id"] in reachable)
        for rank, person in enumerate(eligible, start=1)
    ]
    return Candidates(occurrence_id=occurrence_id, role_id=role_id, ranked=ranked, excluded=excluded)


async def set_monthly_maximum(
    conn: asyncpg.Connection, access: Access, person_id: int, hours: int | None
) -> None:
    from services.people import service as people

    await people.get_person(conn, access, person_id)  # self or a coordinator
    await queries.set_monthly_maximum(conn, person_id=person_id, hours=hours)


async def monthly_maximum(conn: asyncpg.Connection, access: Access, person_id: int) -> int | None:
    from services.people import service as people

    await people.get_person(conn, access, person_id)  # self or a coordinator
    return await queries.monthly_maximum(conn, person_id=person_id)


async def labels(
    conn: asyncpg.Connection,
    access: Access,
    occurrence_ids: set[int],
    role_ids: set[int],
    person_ids: set[int],
) -> dict:
    """Titles, role names and people's names for a page that lists proposals by id."""
    return {
        "occurrences": {
            r["id"]: r for r in await rows(queries.occurrence_labels(conn, ids=list(occurrence_ids)))
        },
        "roles": {r["id"]: r["name"] for r in await rows(queries.role_labels(conn, ids=list(role_ids)))},
        "people": {
            r["id"]: r["display_name"]
            for r in await rows(
                queries.people_names(conn, organisation_id=access.organisation_id, ids=list(person_ids))
            )
        },
    }
