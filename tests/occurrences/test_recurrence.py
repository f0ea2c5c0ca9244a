"""Recurrence keeps wall-clock time across the 2026 daylight-saving changes (29 March, 25 October)
in Stockholm, Oslo and Prague, checked against an independent expander (recurring-ical-events)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import pytest
import recurring_ical_events

from services.occurrences.recurrence import BadRecurrence, Series, expand, parse_rule, remaining_count

ZONES = ["Europe/Stockholm", "Europe/Oslo", "Europe/Prague"]


def independent(series: Series, first: date, last: date) -> list[datetime]:
    """The same series as an iCalendar VEVENT, expanded by recurring-ical-events."""
    text = (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:x\r\n"
        f"DTSTAMP:20260101T000000Z\r\nDTSTART;TZID={series.time_zone}:{series.start_local:%Y%m%dT%H%M%S}\r\n"
        f"DURATION:PT{int(series.duration.total_seconds() // 60)}M\r\nRRULE:{series.rrule}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    return sorted(e["DTSTART"].dt.astimezone(UTC) for e in events)


@pytest.mark.parametrize("zone", ZONES)
def test_tuesday_ten_stays_ten_across_both_changes(zone):
    series = Series(datetime(2026, 1, 6, 10, 0), timedelta(hours=2), zone, "FREQ=WEEKLY;BYDAY=TU,FR")
    instances = expand(series, date(2026, 3, 1), date(2026, 11, 30))
    local = ZoneInfo(zone)
    assert {i.starts_at.astimezone(local).time().isoformat() for i in instances} == {"10:00:00"}
    by_date = {i.local_date: i for i in instances}
    assert by_date[date(2026, 3, 27)].starts_at == datetime(2026, 3, 27, 9, 0, tzinfo=UTC)  # winter, +01
    assert by_date[date(2026, 3, 31)].starts_at == datetime(2026, 3, 31, 8, 0, tzinfo=UTC)  # summer, +02
    assert by_date[date(2026, 10, 23)].starts_at == datetime(2026, 10, 23, 8, 0, tzinfo=UTC)
    assert by_date[date(2026, 10, 27)].starts_at == datetime(2026, 10, 27, 9, 0, tzinfo=UTC)
    assert all(i.ends_at - i.starts_at == timedelta(hours=2) for i in instances)
    assert [i.starts_at for i in instances] == independent(series, date(2026, 3, 1), date(2026, 11, 30))


@pytest.mark.parametrize("zone", ZONES)
def test_sunday_on_the_change_days(zone):
    """A Sunday 10:00 activity on the change days themselves (changes happen at 02:00/03:00)."""
    series = Series(datetime(2026, 3, 1, 10, 0), timedelta(minutes=90), zone, "FREQ=WEEKLY;BYDAY=SU")
    instances = {i.local_date: i for i in expand(series, date(2026, 3, 22), date(2026, 11, 1))}
    assert instances[date(2026, 3, 29)].starts_at == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    assert instances[date(2026, 10, 25)].starts_at == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)
    assert [i.starts_at for i in instances.values()] == independent(
        series, date(2026, 3, 22), date(2026, 11, 1)
    )


@pytest.mark.parametrize("zone", ZONES)
def test_nonexistent_and_repeated_local_times_follow_rfc5545(zone):
    """RFC 5545 §3.3.5: a time in the spring gap uses the offset before the gap (02:30 -> 03:30
    summer time); a repeated autumn time means its first occurrence (summer time)."""
    series = Series(datetime(2026, 3, 1, 2, 30), timedelta(hours=1), zone, "FREQ=WEEKLY;BYDAY=SU")
    by_date = {i.local_date: i for i in expand(series, date(2026, 3, 22), date(2026, 11, 1))}
    spring = by_date[date(2026, 3, 29)]
    assert spring.starts_at == datetime(2026, 3, 29, 1, 30, tzinfo=UTC)
    assert spring.starts_at.astimezone(ZoneInfo(zone)).time().isoformat() == "03:30:00"
    autumn = by_date[date(2026, 10, 25)]
    assert autumn.starts_at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert autumn.starts_at.astimezone(ZoneInfo(zone)).utcoffset() == timedelta(hours=2)
    # The week after each change is plain 02:30 again.
    assert by_date[date(2026, 4, 5)].starts_at == datetime(2026, 4, 5, 0, 30, tzinfo=UTC)
    assert by_date[date(2026, 11, 1)].starts_at == datetime(2026, 11, 1, 1, 30, tzinfo=UTC)


def test_rdate_exdate_count_until_and_one_off():
    start = datetime(2026, 2, 3, 18, 0)
    series = Series(
        start,
        timedelta(hours=2),
        "Europe/Prague",
        "FREQ=WEEKLY;BYDAY=TU;COUNT=5",
        rdates=(datetime(2026, 2, 14, 11, 0),),
        exdates=(datetime(2026, 2, 17, 18, 0),),
    )
    dates = [i.local_date.isoformat() for i in expand(series, date(2026, 1, 1), date(2026, 12, 31))]
    assert dates == ["2026-02-03", "2026-02-10", "2026-02-14", "2026-02-24", "2026-03-03"]
    until = Series(start, timedelta(hours=1), "Europe/Prague", "FREQ=WEEKLY;UNTIL=20260217T170000Z")
    assert [i.local_date.day for i in expand(until, date(2026, 1, 1), date(2026, 12, 31))] == [3, 10, 17]
    one_off = Series(start, timedelta(hours=1), "Europe/Prague")
    assert [i.local_date for i in expand(one_off, date(2026, 1, 1), date(2026, 12, 31))] == [date(2026, 2, 3)]
    assert remaining_count(series, date(2026, 2, 20)) == 2


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=HOURLY",
        "FREQ=MINUTELY;COUNT=3",
        "FREQ=WEEKLY;COUNT=2;UNTIL=20260101T000000",
        "BYDAY=TU",
        "FREQ=WEEKLY;BYDAY=XX",
    ],
)
def test_bad_rules_are_refused(rule):
    with pytest.raises(BadRecurrence):
        parse_rule(rule, datetime(2026, 1, 1, 10, 0))


@pytest.mark.parametrize(
    ("start", "minutes", "ends_utc"),
    [
        (datetime(2027, 3, 28, 1, 30), 90, datetime(2027, 3, 28, 2, 0, tzinfo=UTC)),  # 04:00 summer time
        (datetime(2027, 3, 28, 1, 0), 180, datetime(2027, 3, 28, 3, 0, tzinfo=UTC)),  # 05:00, not 04:00
        (datetime(2027, 10, 31, 1, 30), 120, datetime(2027, 10, 31, 1, 30, tzinfo=UTC)),  # 02:30 winter
    ],
)
def test_a_duration_is_elapsed_time_across_the_change(start, minutes, ends_utc):
    series = Series(start, timedelta(minutes=minutes), "Europe/Stockholm")
    (instance,) = expand(series, start.date(), start.date())
    assert instance.ends_at == ends_utc
    assert instance.ends_at - instance.starts_at == timedelta(minutes=minutes)
