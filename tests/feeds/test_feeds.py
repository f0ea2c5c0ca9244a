"""Calendar feeds as calendar apps read them: parsed and expanded by icalendar +
recurring-ical-events and by Mozilla's ical.js, compared with the database."""

import asyncio
import gzip
import json
import shutil
import subprocess
from datetime import date, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path

import icalendar
import pytest
import recurring_ical_events

from services.feeds import serving
from tests.support.factories import make_org
from tests.support.scheduling import occurrences_of, plan, protected_place, sign_up

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")

JS = Path(__file__).parent.parent / "js"


def feed_cache(client):
    return client.litestar.state.feed_cache


async def settled(client, before: int) -> None:
    """Wait for PostgreSQL's change notice to reach the API's feed cache (it comes at commit)."""
    for _ in range(200):
        if feed_cache(client).version > before:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("no change notice arrived")


async def make_feed(client, org, kind, who="coordinator", person_id=None) -> dict:
    body = {"kind": kind} | ({"person_id": person_id} if person_id else {})
    response = await client.post(f"/organisations/{org.id}/feeds", headers=org.auth(who), json=body)
    assert response.status_code == 201, response.text
    link = response.json()
    assert link["webcal_url"].startswith("webcal://") and link["https_url"].startswith("http")
    assert link["webcal_url"].split("://")[1] == link["https_url"].split("://")[1]
    return link


def path_of(link: dict) -> str:
    return "/" + link["https_url"].split("/", 3)[3]


def by_ical(text: str, first: date, last: date) -> list[tuple[str, datetime, str, int]]:
    calendar = icalendar.Calendar.from_ical(text)
    events = recurring_ical_events.of(calendar, skip_bad_series=False).between(first, last)
    return sorted((str(e["UID"]), e["DTSTART"].dt, str(e["STATUS"]), int(e["SEQUENCE"])) for e in events)


def by_icaljs(text: str, tmp_path: Path) -> dict:
    file = tmp_path / "feed.ics"
    file.write_text(text, encoding="utf-8", newline="")
    run = subprocess.run(
        ["node", str(JS / "expand.mjs"), str(file)], capture_output=True, text=True, check=True
    )
    return json.loads(run.stdout)


def check_rfc5545(text: str) -> None:
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    for line in text.split("\r\n"):
        assert len(line.encode()) <= 75, line
    assert "RRULE" not in text and "RDATE" not in text
    for event in text.split("BEGIN:VEVENT")[1:]:
        assert "\r\nUID:" in event and "\r\nDTSTAMP:" in event and "\r\nSEQUENCE:" in event
    assert "X-WR-CALNAME:" in text and "REFRESH-INTERVAL;VALUE=DURATION:PT1H" in text


async def database_view(
    conn, person_id=None, organisation_id=None, now=None
) -> list[tuple[str, datetime, str, int]]:
    rows = await conn.fetch(
        """SELECT DISTINCT o.id, o.starts_at, o.status, o.sequence FROM occurrences o
           JOIN activities a ON a.id = o.activity_id
           LEFT JOIN assignments asg ON asg.occurrence_id = o.id AND asg.status = 'active'
           WHERE ($1::bigint IS NULL OR asg.person_id = $1) AND ($2::bigint IS NULL OR a.organisation_id = $2)
             AND (o.status = 'scheduled' OR o.updated_at >= $3)""",
        person_id,
        organisation_id,
        now - timedelta(days=14),
    )
    return sorted(
        (
            f"occurrence-{r['id']}@volops",
            r["starts_at"],
            "CANCELLED" if r["status"] == "cancelled" else "CONFIRMED",
            r["sequence"],
        )
        for r in rows
    )


async def month_across_dst(client, conn, org):
    """March-April 2026 in Stockholm: a moved, a cancelled and a split series."""
    activity = await plan(client, org)
    role = activity["roles"][0]["id"]
    rows = await occurrences_of(conn, activity["id"])
    for row in rows[:12]:  # 3 March .. 10 April
        assert (await sign_up(client, org, row["id"], role)).status_code == 201
    moved, cancelled = rows[2], rows[3]
    await client.patch(
        f"/organisations/{org.id}/occurrences/{moved['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-10T13:00:00"},
    )
    await client.patch(
        f"/organisations/{org.id}/occurrences/{cancelled['id']}",
        headers=org.auth(),
        json={"status": "cancelled"},
    )
    split = await client.post(
        f"/organisations/{org.id}/activities/{activity['id']}/split",
        headers=org.auth(),
        json={"from_date": "2026-03-24", "change": {"start_local": "2026-03-24T11:00:00"}},
    )
    assert split.status_code == 201
    return moved, cancelled


async def test_personal_and_organisation_feeds_match_the_database(client, conn, clock, org, tmp_path):
    moved, cancelled = await month_across_dst(client, conn, org)
    personal = await make_feed(client, org, "personal", "volunteer")
    whole = await make_feed(client, org, "organisation")
    for link, expected in (
        (personal, await database_view(conn, person_id=org.volunteer_id, now=clock.now())),
        (whole, await database_view(conn, organisation_id=org.id, now=clock.now())),
    ):
        response = await client.get(path_of(link))
        assert response.status_code == 200
        assert response.headers["content-type"] == "text/calendar; charset=utf-8"
        text = response.text
        check_rfc5545(text)
        assert by_ical(text, date(2025, 1, 1), date(2028, 12, 31)) == expected
        if shutil.which("node"):
            parsed = by_icaljs(text, tmp_path)
            assert (
                sorted(
                    (e["uid"], datetime.fromisoformat(e["start"]), e["status"], e["sequence"])
                    for e in parsed["events"]
                )
                == expected
            )
            assert not any(e["recurring"] for e in parsed["events"])
    text = (await client.get(path_of(personal))).text
    events = {str(e["UID"]): e for e in icalendar.Calendar.from_ical(text).walk("VEVENT")}
    moved_event = events[f"occurrence-{moved['id']}@volops"]
    assert (
        moved_event["DTSTART"].dt == datetime.fromisoformat("2026-03-10T12:00:00+00:00")
        and moved_event["SEQUENCE"] == 1
    )
    assert events[f"occurrence-{cancelled['id']}@volops"]["STATUS"] == "CANCELLED"
    # After the split on 24 March the pickups are at 11:00 local: 10:00 UTC in summer time.
    after_split = sorted(
        e["DTSTART"].dt for e in events.values() if e["DTSTART"].dt.date() >= date(2026, 3, 31)
    )
    assert {d.hour for d in after_split} == {9}
    before_dst = [
        e["DTSTART"].dt
        for e in events.values()
        if date(2026, 3, 24) <= e["DTSTART"].dt.date() < date(2026, 3, 29)
    ]
    assert {d.hour for d in before_dst} == {10}
    assert "Mina pass" in text  # the volunteer's language


async def test_etag_304_head_gzip_and_a_move_shows_with_higher_sequence(client, conn, org):
    activity = await plan(client, org, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3")
    first = (await occurrences_of(conn, activity["id"]))[0]
    await sign_up(client, org, first["id"], activity["roles"][0]["id"])
    link = await make_feed(client, org, "personal", "volunteer")
    url = path_of(link)
    first_poll = await client.get(url)
    etag, modified = first_poll.headers["etag"], first_poll.headers["last-modified"]
    # Date and Last-Modified come from one clock: the content is never newer than the answer.
    assert parsedate_to_datetime(modified) <= parsedate_to_datetime(first_poll.headers["date"])
    assert (await client.get(url, headers={"If-None-Match": etag})).status_code == 304
    assert (await client.get(url, headers={"If-Modified-Since": modified})).status_code == 304
    assert (await client.get(url, headers={"If-None-Match": '"something-else"'})).status_code == 200
    head = await client.head(url)
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
    zipped = await client.get(url, headers={"Accept-Encoding": "gzip"})
    assert zipped.headers["content-encoding"] == "gzip" and zipped.text == first_poll.text

    before = feed_cache(client).version
    await client.patch(
        f"/organisations/{org.id}/occurrences/{first['id']}",
        headers=org.auth(),
        json={"start_local": "2026-03-03T15:00:00"},
    )
    await settled(client, before)
    changed = await client.get(url, headers={"If-None-Match": etag})
    assert changed.status_code == 200 and changed.headers["etag"] != etag
    event = icalendar.Calendar.from_ical(changed.text).walk("VEVENT")[0]
    assert event["SEQUENCE"] == 1 and event["DTSTART"].dt.hour == 14
    # The fixed clock has not moved: the new content's date equals the old one's, so a date alone
    # cannot prove the client has it. Only the ETag can; the date must not claim "unchanged".
    assert (await client.get(url, headers={"If-Modified-Since": modified})).status_code == 200


async def test_revoked_rotated_and_unknown_addresses(client, org):
    link = await make_feed(client, org, "organisation")
    assert (await client.get("/feeds/vf_not-a-feed.ics")).status_code == 404
    assert (await client.get("/feeds/whatever.ics")).status_code == 404
    rotated = await client.post(f"/organisations/{org.id}/feeds/{link['id']}/rotate", headers=org.auth())
    assert rotated.status_code == 200
    gone = await client.get(path_of(link))
    assert gone.status_code == 410 and "replaced or switched off" in gone.json()["detail"]
    assert (await client.get(path_of(rotated.json()))).status_code == 200
    revoked = await client.delete(f"/organisations/{org.id}/feeds/{rotated.json()['id']}", headers=org.auth())
    assert revoked.json()["revoked_at"]
    assert (await client.get(path_of(rotated.json()))).status_code == 410
    listed = (await client.get(f"/organisations/{org.id}/feeds", headers=org.auth())).json()["items"]
    assert [f["https_url"] for f in listed] == [None, None]  # secrets are never shown again


async def test_who_may_make_which_feed(client, org):
    assert (
        await client.post(
            f"/organisations/{org.id}/feeds", headers=org.auth("volunteer"), json={"kind": "organisation"}
        )
    ).status_code == 403
    other = await client.post(
        f"/organisations/{org.id}/feeds",
        headers=org.auth("volunteer"),
        json={"kind": "personal", "person_id": org.coordinator_id},
    )
    assert other.status_code == 403
    for_volunteer = await make_feed(client, org, "personal", "coordinator", person_id=org.volunteer_id)
    own = (await client.get(f"/organisations/{org.id}/feeds", headers=org.auth("volunteer"))).json()["items"]
    assert [f["id"] for f in own] == [for_volunteer["id"]]
    by_person = await client.get(
        f"/organisations/{org.id}/feeds", headers=org.auth(), params={"person_id": org.volunteer_id}
    )
    assert [f["id"] for f in by_person.json()["items"]] == [for_volunteer["id"]]
    venue = await client.post(f"/organisations/{org.id}/feeds", headers=org.auth(), json={"kind": "venue"})
    assert venue.status_code == 422


async def test_protected_address_is_in_no_byte_of_any_feed(client, conn, org):
    place = await protected_place(client, org, "Hemliga gatan 7, 211 00 Malmö", 55.61)
    activity = await plan(
        client,
        org,
        place_id=place["id"],
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=4",
        roles=[{"name": "driver", "max_people": 2}],
    )
    rows = await occurrences_of(conn, activity["id"])
    await sign_up(client, org, rows[0]["id"], activity["roles"][0]["id"])
    await client.patch(
        f"/organisations/{org.id}/occurrences/{rows[1]['id']}",
        headers=org.auth(),
        json={"place_id": place["id"], "start_local": "2026-03-10T12:00:00"},
    )
    links = [
        await make_feed(client, org, "personal", "volunteer"),
        await make_feed(client, org, "organisation"),
        await make_feed(client, org, "open_shifts", "volunteer"),
        await make_feed(client, org, "personal", "coordinator"),
    ]
    for link in links:
        for headers in ({}, {"Accept-Encoding": "gzip"}):
            response = await client.get(path_of(link), headers=headers)
            raw = response.content
            if response.headers.get("content-encoding") == "gzip" and raw[:2] == b"\x1f\x8b":
                raw = gzip.decompress(raw)
            assert b"Hemliga" not in raw and b"211 00" not in raw and b"55.61" not in raw
            if b"BEGIN:VEVENT" in raw:
                assert "The house" in raw.decode()
    text = (await client.get(path_of(links[1]))).text
    assert "adress från din samordnare" in text.replace("\r\n ", "")


async def test_personal_feed_spans_four_organisations(client, conn, clock, org):
    others = [
        await make_org(conn, clock, slug, country)
        for slug, country in (("prague-test", "CZ"), ("oslo-a", "NO"), ("oslo-b", "NO"))
    ]
    person = org.volunteer_id
    for other in others:
        await conn.execute(
            "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'volunteer')",
            other.id,
            person,
        )
    titles = []
    for index, organisation in enumerate([org, *others]):
        title = f"Shift of organisation {index}"
        activity = await plan(
            client, organisation, title=title, rrule=None, start_local=f"2026-03-1{index}T10:00:00"
        )
        occurrence = (await occurrences_of(conn, activity["id"]))[0]
        assigned = await client.post(
            f"/organisations/{organisation.id}/occurrences/{occurrence['id']}/assignments",
            headers=organisation.auth(),
            json={"role_id": activity["roles"][0]["id"], "person_id": person},
        )
        assert assigned.status_code == 201, assigned.text
        titles.append(title)
    link = await make_feed(client, org, "personal", "volunteer")
    events = icalendar.Calendar.from_ical((await client.get(path_of(link))).text).walk("VEVENT")
    assert sorted(str(e["SUMMARY"]).split(" (")[0] for e in events) == titles


async def test_window_rolls_forward(client, conn, clock, org):
    activity = await plan(client, org)
    rows = await occurrences_of(conn, activity["id"])
    link = await make_feed(client, org, "organisation")
    await client.patch(
        f"/organisations/{org.id}/occurrences/{rows[0]['id']}",
        headers=org.auth(),
        json={"status": "cancelled"},
    )

    def dates(text):
        return sorted(e["DTSTART"].dt.date() for e in icalendar.Calendar.from_ical(text).walk("VEVENT"))

    now_dates = dates((await client.get(path_of(link))).text)
    assert now_dates[0] == date(2026, 3, 3)  # cancelled, still shown
    clock.advance(timedelta(days=15))  # the cancellation is older than 14 days: it leaves
    assert dates((await client.get(path_of(link))).text)[0] == date(2026, 3, 6)
    clock.advance(timedelta(days=70))  # 60 days back: early March has left the window
    later = dates((await client.get(path_of(link))).text)
    assert later[0] >= (clock.now() - timedelta(days=60)).date()
    assert (await client.get(path_of(link))).status_code == 200


async def test_internal_failure_is_503_never_an_empty_calendar(client, org, monkeypatch):
    link = await make_feed(client, org, "organisation")

    async def broken(*_args, **_kwargs):
        raise ConnectionError("database went away")

    monkeypatch.setattr(serving, "_render", broken)
    feed_cache(client).changed()
    response = await client.get(path_of(link))
    assert response.status_code == 503 and response.headers["retry-after"]
    assert "BEGIN:VCALENDAR" not in response.text


def test_folding_never_splits_a_character():
    from services.feeds.ical import fold

    line = "SUMMARY:" + "Příliš žluťoučký kůň úpěl ďábelské ódy " * 4
    folded = fold(line)
    parts = folded.split("\r\n ")
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert "".join(p.removesuffix("\r\n") for p in parts) == line


async def test_an_edit_in_one_organisation_leaves_the_others_feeds_cached(client, conn, org, other_org):
    ours, theirs = (
        await make_feed(client, org, "organisation"),
        await make_feed(client, other_org, "organisation"),
    )
    await plan(client, org)
    await plan(client, other_org)
    for link in (ours, theirs):
        await client.get(path_of(link))  # rendered, and kept
    cache = feed_cache(client)
    first_occurrence = await conn.fetchval(
        "SELECT o.id FROM occurrences o JOIN activities a ON a.id = o.activity_id WHERE a.organisation_id = $1"
        " ORDER BY o.starts_at LIMIT 1",
        org.id,
    )
    before = cache.version
    await client.patch(
        f"/organisations/{org.id}/occurrences/{first_occurrence}",
        headers=org.auth(),
        json={"status": "cancelled"},
    )
    await settled(client, before)
    hits, misses = cache.hits, cache.misses
    await client.get(path_of(theirs))
    assert (cache.hits, cache.misses) == (hits + 1, misses)  # the other organisation's: from memory
    changed = await client.get(path_of(ours))
    assert cache.misses == misses + 1 and "STATUS:CANCELLED" in changed.text  # ours: rendered afresh
