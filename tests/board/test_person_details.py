"""A person's page beyond the form: importing a spreadsheet (row problems in the reader's words,
nothing imported until every row is valid or "leave out" is ticked), when they can help, their
hours, and deactivating a volunteer (their coming shifts become gaps)."""

import re
from datetime import timedelta

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import add_member
from tests.support.scheduling import occurrences_of, plan

pytestmark = pytest.mark.now("2026-03-02T10:00")

SHEET = "namn;telefon;språk;sms\nVera Import;070-174 06 84;sv;ja\nPelle Fel;12;sv;ja\nNils Nej;070-174 06 85;xx;kanske\n"


async def _upload(client, csrf: str, text: str, **fields):
    files = {"file": ("volontarer.csv", text.encode(), "text/csv")}
    return await client.post(
        "/board/people/import", data={"csrf": csrf, **fields}, files=files, follow_redirects=False
    )


async def test_a_spreadsheet_with_bad_rows_imports_nothing_until_fixed_or_left_out(client, conn, org):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/people/import")
    refused = await _upload(client, csrf, SHEET)
    assert refused.status_code == 422 and "Ingenting importerades." in refused.text
    problems = re.findall(r"<tr><td>(\d+)</td><td>(\w+)</td><td>([^<]+)</td></tr>", refused.text)
    # the columns named in her words, as her spreadsheet names them
    assert [(row, column) for row, column, _ in problems] == [("3", "telefon"), ("4", "språk"), ("4", "sms")]
    assert "är inget telefonnummer i SE" in problems[0][2]  # the reader's language, not the API's
    assert await conn.fetchval("SELECT count(*) FROM people WHERE display_name = 'Vera Import'") == 0

    left_out = await _upload(client, csrf, SHEET, skip_invalid="true")
    assert left_out.status_code == 200 and "Överhoppade: 2 rader." in left_out.text
    assert "1 nya" in left_out.text
    vera = await conn.fetchrow("SELECT phone, sms_consent FROM people WHERE display_name = 'Vera Import'")
    assert vera["phone"] == "+46701740684" and vera["sms_consent"]

    fixed = SHEET.replace(";12;", ";070-174 06 86;").replace("xx;kanske", "nb;nej")
    done = await _upload(client, csrf, fixed)
    assert done.status_code == 303
    shown = await client.get(done.headers["location"])
    assert "Importerat: 2 nya, 0 ändrade, 1 oförändrade." in shown.text
    api = await client.post(
        f"/organisations/{org.id}/people/import", headers=org.auth(), content=SHEET.encode()
    )
    assert api.status_code == 422  # the same rule refuses the same file through the API
    assert {(e["row"], e["field"]) for e in api.json()["errors"]} == {
        (3, "phone"),
        (4, "language"),
        (4, "sms"),
    }


async def test_a_file_that_is_not_a_spreadsheet_is_explained(client, org):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/people/import")
    latin1 = await _upload(client, csrf, "")
    assert latin1.status_code == 422 and "Filen är tom." in latin1.text
    files = {"file": ("x.csv", "namn;telefon\nÅsa;0701\n".encode("latin-1"), "text/csv")}
    wrong = await client.post("/board/people/import", data={"csrf": csrf}, files=files)
    assert wrong.status_code == 422 and "CSV UTF-8" in wrong.text


async def test_when_they_can_help_is_saved_and_a_bad_row_is_marked(client, conn, clock, org):
    anna = await add_member(conn, clock, org, "Anna Ledig")
    await signed_in(client, org)
    page = f"/board/people/{anna}/availability"
    csrf = await form_token(client, page)
    form = {
        "csrf": csrf,
        "weekday": ["2", "5", ""],
        "from": ["09:00", "17:00", ""],
        "to": ["12:00", "16:00", ""],
        "away_from": ["2026-03-28"],
        "away_until": ["2026-03-29"],
        "away_note": ["Påsk"],
    }
    backwards = await client.post(page, data=form)
    assert backwards.status_code == 422 and "Ingenting sparades" in backwards.text
    marked = re.findall(r'<fieldset class="slot( field-error)?"', backwards.text)
    assert marked[:2] == ["", " field-error"]  # the second row, which ends before it starts
    assert 'value="17:00"' in backwards.text  # what was typed is kept
    assert await conn.fetchval("SELECT count(*) FROM availability WHERE person_id = $1", anna) == 0

    form["to"] = ["12:00", "20:00", ""]
    assert (await client.post(page, data=form, follow_redirects=False)).status_code == 303
    api = await client.get(f"/organisations/{org.id}/people/{anna}/availability", headers=org.auth())
    held = api.json()
    assert [(s["weekday"], s["start_local"], s["end_local"]) for s in held["weekly"]] == [
        (2, "09:00:00", "12:00:00"),
        (5, "17:00:00", "20:00:00"),
    ]
    # Two whole local days away: from Stockholm's midnight (CET) to the midnight after the 29th (CEST).
    assert [(b["starts_at"], b["ends_at"]) for b in held["blackouts"]] == [
        ("2026-03-27T23:00:00Z", "2026-03-29T22:00:00Z")
    ]
    again = await client.get(page)
    assert 'value="2026-03-29"' in again.text and 'value="Påsk"' in again.text


async def test_hours_on_the_person_page_and_deactivating_frees_the_coming_shifts(client, conn, clock, org):
    anna = await add_member(conn, clock, org, "Anna Timmar")
    activity = await plan(client, org)  # Tuesdays and Fridays, two hours
    role_id = activity["roles"][0]["id"]
    first, second, third = (await occurrences_of(conn, activity["id"]))[:3]
    for occurrence in (first, second, third):
        made = await client.post(
            f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
            headers=org.auth(),
            json={"role_id": role_id, "person_id": anna},
        )
        assert made.status_code == 201, made.text
    clock.advance(timedelta(days=2))  # after the first Tuesday
    attended = await conn.fetchval("SELECT id FROM assignments WHERE occurrence_id = $1", first["id"])
    await client.put(
        f"/organisations/{org.id}/assignments/{attended}/attendance",
        headers=org.auth(),
        json={"attendance": "attended"},
    )
    await signed_in(client, org)
    page = await client.get(f"/board/people/{anna}")
    assert "<tr><td>2026-03</td><td>2</td><td>1</td></tr>" in page.text

    csrf = await form_token(client, f"/board/people/{anna}")
    gone = await client.post(f"/board/people/{anna}/deactivate", data={"csrf": csrf})
    assert gone.status_code == 200 and "Frigjorda pass: 2" in gone.text
    states = await conn.fetch("SELECT occurrence_id, status FROM assignments ORDER BY occurrence_id")
    assert [s["status"] for s in states] == ["active", "removed", "removed"]  # the past one stays
    roles = await conn.fetch("SELECT role FROM memberships WHERE person_id = $1", anna)
    assert [r["role"] for r in roles] == ["former_volunteer"]
    assert "Avsluta som volontär" not in gone.text
    hours = await client.get(f"/organisations/{org.id}/people/{anna}/hours", headers=org.auth())
    assert hours.json() == [{"month": "2026-03", "hours": 2.0, "occurrences": 1}]  # hours stay


async def test_reminder_times_and_the_monthly_maximum(client, conn, clock, org):
    anna = await add_member(conn, clock, org, "Anna Påminnelse")
    await signed_in(client, org)
    page = f"/board/people/{anna}"
    csrf = await form_token(client, page)
    saved = await client.post(
        f"{page}/limits", data={"csrf": csrf, "reminder_hours": "24, 1.5", "max_hours_per_month": "10"}
    )
    assert saved.status_code == 200 and 'value="1.5, 24"' in saved.text
    # The page says so, in the part that was saved, open (not folded away at the top).
    assert str(saved.url).endswith("?saved=limits#limits-section")
    limits = saved.text[saved.text.index('id="limits-section"') :]
    assert limits.startswith('id="limits-section" open>') and "Sparat." in limits[: limits.index("</form>")]
    row = await conn.fetchrow(
        "SELECT reminder_offsets_minutes, max_hours_per_month FROM people WHERE id = $1", anna
    )
    assert (
        list(row["reminder_offsets_minutes"]) in ([90, 1440], [1440, 90]) and row["max_hours_per_month"] == 10
    )
    bad = await client.post(f"{page}/limits", data={"csrf": csrf, "reminder_hours": "soon"})
    assert bad.status_code == 422 and 'aria-describedby="reminder_hours-error"' in bad.text
    assert await conn.fetchval("SELECT max_hours_per_month FROM people WHERE id = $1", anna) == 10
    none = await client.post(f"{page}/limits", data={"csrf": csrf, "no_reminders": "true"})
    assert none.status_code == 200
    row = await conn.fetchrow(
        "SELECT reminder_offsets_minutes, max_hours_per_month FROM people WHERE id = $1", anna
    )
    assert list(row["reminder_offsets_minutes"]) == [] and row["max_hours_per_month"] is None
