"""A person's data: the export holds every row a full scan of the database finds for her id and her
number; erasure leaves her name and number nowhere in a pg_dump while the month's hours report
stays as it was; consent is recorded with when and how."""

import json
import shutil
import subprocess
import zipfile
from datetime import timedelta
from io import BytesIO

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.my.test_my_page import open_link
from tests.support.scheduling import occurrences_of, plan
from tests.support.sms import reply

pytestmark = pytest.mark.now("2026-03-02T10:00")
VERA, PHONE = "Vera Exportsson", "+46701740689"
SECRETS = {"token_hash", "code_hash", "asked_from", "during"}


async def _vera(client, conn, clock, org) -> dict:
    """A volunteer with a bit of everything: shifts (one attended), availability, a day away, a
    qualification, a calendar feed, her page link, texts both ways, a swap offer, a watch."""
    made = await client.post(
        f"/organisations/{org.id}/people",
        headers=org.auth(),
        json={"display_name": VERA, "phone": PHONE, "roles": ["volunteer"], "sms_consent": True},
    )
    vera = made.json()["id"]
    activity = await plan(client, org)
    tuesday, friday, tuesday2 = (await occurrences_of(conn, activity["id"]))[:3]
    role = activity["roles"][0]["id"]
    ids = {}
    for day in (tuesday, friday, tuesday2):
        done = await client.post(
            f"/organisations/{org.id}/occurrences/{day['id']}/assignments",
            headers=org.auth(),
            json={"role_id": role, "person_id": vera},
        )
        ids[day["id"]] = done.json()["id"]
    await client.put(
        f"/organisations/{org.id}/people/{vera}/availability",
        headers=org.auth(),
        json={
            "weekly": [{"weekday": 2, "start_local": "09:00:00", "end_local": "13:00:00"}],
            "blackouts": [{"starts_at": "2026-04-01T00:00:00+02:00", "ends_at": "2026-04-03T00:00:00+02:00"}],
        },
    )
    licence = await conn.fetchval(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Körkort') RETURNING id", org.id
    )
    await client.post(
        f"/organisations/{org.id}/people/{vera}/qualifications",
        headers=org.auth(),
        json={"qualification_type_id": licence},
    )
    await client.post(
        f"/organisations/{org.id}/feeds", headers=org.auth(), json={"kind": "personal", "person_id": vera}
    )
    await client.post(f"/organisations/{org.id}/people/{vera}/page-link", headers=org.auth())
    await reply(conn, clock, PHONE, "hjälp", "SMX1")
    await conn.execute(
        "INSERT INTO shift_watches (occurrence_id, person_id, created_at) VALUES ($1, $2, now())",
        tuesday2["id"],
        vera,
    )
    clock.advance(timedelta(days=1, hours=3))  # Tuesday 13:00: the first shift is over
    await client.put(
        f"/organisations/{org.id}/assignments/{ids[tuesday['id']]}/attendance",
        headers=org.auth(),
        json={"attendance": "attended"},
    )
    return {"id": vera, "coming": ids[tuesday2["id"]], "month": "2026-03"}


async def _scan(conn, person_id: int, phone: str) -> list[tuple[str, dict]]:
    """Every row in the database that names her: a column that refers to people holding her id,
    any text column holding her number, and the trail's rows by her or about her row."""
    refs = await conn.fetch(
        "SELECT c.conrelid::regclass::text AS tbl, a.attname AS col FROM pg_constraint c"
        " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY(c.conkey)"
        " WHERE c.contype = 'f' AND c.confrelid = 'people'::regclass"
    )
    texts = await conn.fetch(
        "SELECT table_name AS tbl, column_name AS col FROM information_schema.columns"
        " WHERE table_schema = 'public' AND data_type = 'text' AND table_name NOT IN ('schema_migrations')"
    )
    found = []
    for r in refs:
        for row in await conn.fetch(
            f'SELECT to_jsonb(t) AS j FROM "{r["tbl"]}" t WHERE "{r["col"]}" = $1', person_id
        ):
            found.append((r["tbl"], json.loads(row["j"])))
    for r in texts:
        for row in await conn.fetch(
            f'SELECT to_jsonb(t) AS j FROM "{r["tbl"]}" t WHERE "{r["col"]}" LIKE $1', f"%{phone}%"
        ):
            found.append((r["tbl"], json.loads(row["j"])))
    for row in await conn.fetch(
        "SELECT to_jsonb(l) AS j FROM audit_log l WHERE actor_person_id = $1 OR (table_name = 'people' AND row_id = $1)",
        person_id,
    ):
        found.append(("audit_log", json.loads(row["j"])))
    return found


def _in_export(row: dict, exported: dict) -> bool:
    wanted = {k: v for k, v in row.items() if k not in SECRETS}
    return any(
        all(item.get(k) == v for k, v in wanted.items()) for items in exported.values() for item in items
    )


async def test_the_export_holds_every_row_a_full_scan_finds(client, conn, clock, org):
    vera = await _vera(client, conn, clock, org)
    last_before = await conn.fetchval("SELECT max(id) FROM audit_log")
    response = await client.get(f"/organisations/{org.id}/people/{vera['id']}/export", headers=org.auth())
    assert response.status_code == 200
    exported = response.json()
    scanned = [  # all but the export's own entry in the trail, written after it was made
        (table, row)
        for table, row in await _scan(conn, vera["id"], PHONE)
        if not (table == "audit_log" and row["id"] > last_before)
    ]
    missed = [(table, row) for table, row in scanned if not _in_export(row, exported)]
    assert scanned and not missed, missed[:3]
    tables = {table for table, _ in scanned}
    assert {
        "memberships",
        "assignments",
        "availability",
        "blackouts",
        "person_qualifications",
        "outbox",
        "sms_replies",
        "api_tokens",
        "feed_subscriptions",
        "shift_watches",
    } <= tables
    assert exported["hours_by_month"] == [{"month": "2026-03", "hours": 2.0, "dates": 1}]
    assert exported["sms_consent"][0]["given"] is True  # when and how she agreed
    archive = zipfile.ZipFile(
        BytesIO(
            (
                await client.get(
                    f"/organisations/{org.id}/people/{vera['id']}/export.zip", headers=org.auth()
                )
            ).content
        )
    )
    assert {"export.json", "assignments_and_attendance.csv", "sms_sent.csv"} <= set(archive.namelist())
    assert "token_hash" not in archive.read("export.json").decode()
    logged = await conn.fetchval(
        "SELECT count(*) FROM audit_log WHERE action = 'export' AND row_id = $1", vera["id"]
    )
    assert logged == 2  # each export is in the trail


async def test_another_organisation_cannot_export_her(client, conn, clock, org, other_org):
    vera = await _vera(client, conn, clock, org)
    refused = await client.get(
        f"/organisations/{other_org.id}/people/{vera['id']}/export", headers=other_org.auth()
    )
    assert refused.status_code == 404
    volunteer = await client.get(
        f"/organisations/{org.id}/people/{vera['id']}/export", headers=org.auth("volunteer")
    )
    assert volunteer.status_code == 404


async def test_consent_is_recorded_with_when_and_how(client, conn, clock, org):
    vera = await _vera(client, conn, clock, org)
    await reply(conn, clock, PHONE, "STOPP", "SMX2")
    await reply(conn, clock, PHONE, "START", "SMX3")
    events = await conn.fetch(
        "SELECT given, via, by_person FROM consent_events WHERE person_id = $1 ORDER BY id", vera["id"]
    )
    assert [(e["given"], e["via"]) for e in events] == [(True, "api"), (False, "sms"), (True, "sms")]
    assert events[0]["by_person"] == org.coordinator_id and events[1]["by_person"] == vera["id"]


def _dump(database_url: str) -> str:
    if not shutil.which("pg_dump"):
        pytest.skip("pg_dump is not installed here")
    return subprocess.run(
        ["pg_dump", "--data-only", database_url], capture_output=True, text=True, check=True
    ).stdout


async def test_after_erasure_her_name_and_number_are_nowhere_and_the_hours_stay(
    client, conn, clock, org, settings
):
    vera = await _vera(client, conn, clock, org)
    before = (
        await client.get(
            f"/organisations/{org.id}/reports/hours", headers=org.auth(), params={"month": "2026-03"}
        )
    ).json()
    trail_before = await conn.fetchval("SELECT count(*) FROM audit_log")
    dump = _dump(settings.database_url)
    assert VERA in dump and PHONE in dump  # the check can find them
    refused = await client.post(
        f"/organisations/{org.id}/people/{vera['id']}/erase", headers=org.auth(), json={"confirm": False}
    )
    assert refused.status_code == 422
    erased = await client.post(
        f"/organisations/{org.id}/people/{vera['id']}/erase", headers=org.auth(), json={"confirm": True}
    )
    assert erased.status_code == 201 and erased.json() == {"erased": True, "shifts_freed": 2}
    dump = _dump(settings.database_url)
    assert dump.count(VERA) == 0 and dump.count(PHONE) == 0 and dump.count(PHONE[1:]) == 0
    after = (
        await client.get(
            f"/organisations/{org.id}/reports/hours", headers=org.auth(), params={"month": "2026-03"}
        )
    ).json()
    assert after["total_hours"] == before["total_hours"] == 2.0
    assert await conn.fetchval("SELECT count(*) FROM audit_log") > trail_before  # events kept, one more
    assert await conn.fetchval("SELECT status FROM assignments WHERE id = $1", vera["coming"]) != "active"
    pending = await conn.fetchval(
        "SELECT count(*) FROM outbox WHERE person_id = $1 AND status = 'pending'", vera["id"]
    )
    assert pending == 0
    live = await conn.fetchval(
        "SELECT count(*) FROM api_tokens WHERE person_id = $1 AND revoked_at IS NULL", vera["id"]
    )
    assert live == 0
    again = await client.post(
        f"/organisations/{org.id}/people/{vera['id']}/erase", headers=org.auth(), json={"confirm": True}
    )
    assert again.status_code == 409
    shown = await client.get(f"/organisations/{org.id}/people/{vera['id']}", headers=org.auth())
    assert shown.json()["display_name"] == f"Former volunteer {vera['id']}" and shown.json()["phone"] is None


async def test_from_the_pages_the_coordinator_erases_and_the_person_downloads_her_data(
    client, conn, clock, org
):
    vera = await _vera(client, conn, clock, org)
    await open_link(client, conn, vera["id"])
    mine = await client.get("/my/export.zip")
    assert mine.status_code == 200 and mine.headers["content-type"] == "application/zip"
    assert VERA in zipfile.ZipFile(BytesIO(mine.content)).read("export.json").decode()
    client.cookies.clear()
    await signed_in(client, org)
    page = f"/board/people/{vera['id']}"
    csrf = await form_token(client, page)
    unticked = await client.post(f"{page}/erase", data={"csrf": csrf})
    assert unticked.status_code == 422
    done = await client.post(f"{page}/erase", data={"csrf": csrf, "confirm": "true"}, follow_redirects=False)
    assert done.status_code == 303
    assert "Raderat." in (await client.get(done.headers["location"])).text
    assert await conn.fetchval("SELECT erased_at FROM people WHERE id = $1", vera["id"]) is not None
