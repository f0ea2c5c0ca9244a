"""Volunteer import from a spreadsheet export, through the API and the command line."""

import subprocess

from tests.support.processes import VOLOPS, cli_env

GOOD = """name,phone,language,qualifications,sms
Alva Påhittad,070-174 06 70,sv,Driving licence,yes
Bo Låtsas,+46 70 174 06 71,en,Driving licence until 2027-01-31; Outreach training,no
Cecilia Fiktiv,0701740672,,,
"""


async def add_types(client, org, *names):
    for name in names:
        await client.post(
            f"/organisations/{org.id}/qualification-types", headers=org.auth(), json={"name": name}
        )


async def import_csv(client, org, text, **params):
    return await client.post(
        f"/organisations/{org.id}/people/import",
        headers={**org.auth(), "Content-Type": "text/csv"},
        content=text.encode() if isinstance(text, str) else text,
        params=params,
    )


async def people_named(conn) -> dict:
    return {r["display_name"]: dict(r) for r in await conn.fetch("SELECT * FROM people")}


async def test_good_file_imports_everyone_once(client, conn, org):
    await add_types(client, org, "Driving licence", "Outreach training")
    first = await import_csv(client, org, GOOD)
    assert first.status_code == 200, first.text
    assert first.json() | {"errors": []} == {
        "imported": True,
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "skipped": 0,
        "errors": [],
    }
    people = await people_named(conn)
    assert people["Alva Påhittad"]["phone"] == "+46701740670"
    assert people["Bo Låtsas"]["language"] == "en" and people["Bo Låtsas"]["sms_consent"] is False
    assert people["Cecilia Fiktiv"]["language"] == "sv"  # the organisation's default
    held = await conn.fetch(
        "SELECT qt.name, pq.valid_until FROM person_qualifications pq JOIN qualification_types qt"
        " ON qt.id = pq.qualification_type_id WHERE pq.person_id = $1 ORDER BY qt.name",
        people["Bo Låtsas"]["id"],
    )
    assert [(r["name"], str(r["valid_until"])) for r in held] == [
        ("Driving licence", "2027-01-31"),
        ("Outreach training", "None"),
    ]
    roles = await conn.fetchval(
        "SELECT array_agg(role) FROM memberships WHERE person_id = $1", people["Alva Påhittad"]["id"]
    )
    assert roles == ["volunteer"]

    snapshot = await conn.fetch("SELECT * FROM people ORDER BY id")
    again = await import_csv(client, org, GOOD)
    assert again.json()["created"] == 0 and again.json()["unchanged"] == 3 and again.json()["updated"] == 0
    assert await conn.fetch("SELECT * FROM people ORDER BY id") == snapshot
    assert await conn.fetchval("SELECT count(*) FROM person_qualifications") == 3


async def test_bad_rows_are_reported_and_nothing_is_imported(client, conn, org):
    await add_types(client, org, "Driving licence")
    text = """name,phone,language,qualifications
Good Person,070-174 06 80,sv,
,070-174 06 81,sv,
Bad Phone,12345,sv,
Bad Language,070-174 06 82,de,
Unknown Skill,070-174 06 83,sv,Juggling
Duplicate,070 174 06 80,sv,
"""
    before = await conn.fetchval("SELECT count(*) FROM people")
    response = await import_csv(client, org, text)
    assert response.status_code == 422
    problem = response.json()
    assert "Nothing was imported" in problem["detail"]
    by_row = {(e["row"], e["field"]) for e in problem["errors"]}
    assert by_row == {(3, "name"), (4, "phone"), (5, "language"), (6, "qualifications"), (7, "phone")}
    duplicate = next(e for e in problem["errors"] if e["row"] == 7)
    assert duplicate["message"] == "same phone number as row 2"
    assert await conn.fetchval("SELECT count(*) FROM people") == before

    skipping = await import_csv(client, org, text, skip_invalid="true")
    assert skipping.status_code == 200
    assert skipping.json()["created"] == 1 and skipping.json()["skipped"] == 5
    assert await conn.fetchval("SELECT count(*) FROM people") == before + 1


async def test_excel_style_semicolons_bom_and_swedish_headers(client, conn, org):
    text = "\ufeffNamn;Telefon;Språk\nDagny Exempel;070-174 06 90;sv\n"
    response = await import_csv(client, org, text)
    assert response.status_code == 200 and response.json()["created"] == 1


async def test_file_level_problems(client, org):
    assert (await import_csv(client, org, "")).status_code == 422
    no_phone = await import_csv(client, org, "name,language\nA,sv\n")
    assert no_phone.status_code == 422 and "phone" in no_phone.json()["detail"]
    latin1 = await import_csv(client, org, "name,phone\nÅsa,070-174 06 91\n".encode("latin-1"))
    assert latin1.status_code == 422 and "UTF-8" in latin1.json()["detail"]


async def test_only_coordinators_import(client, org):
    response = await client.post(
        f"/organisations/{org.id}/people/import", headers=org.auth("volunteer"), content=GOOD.encode()
    )
    assert response.status_code == 403


async def test_command_line_import(tmp_path, conn, settings, org):
    await conn.execute(
        "INSERT INTO qualification_types (organisation_id, name) VALUES ($1, 'Driving licence'), ($1, 'Outreach training')",
        org.id,
    )
    good = tmp_path / "volunteers.csv"
    good.write_text(GOOD)
    run = subprocess.run(
        [*VOLOPS, "import-people", org.slug, str(good)], env=cli_env(settings), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "3 rows: 3 created, 0 updated, 0 unchanged, 0 skipped"
    again = subprocess.run(
        [*VOLOPS, "import-people", org.slug, str(good)], env=cli_env(settings), capture_output=True, text=True
    )
    assert again.stdout.strip() == "3 rows: 0 created, 0 updated, 3 unchanged, 0 skipped"

    bad = tmp_path / "bad.csv"
    bad.write_text("name,phone\nX,12345\nY,070-174 06 92\n")
    run = subprocess.run(
        [*VOLOPS, "import-people", org.slug, str(bad)], env=cli_env(settings), capture_output=True, text=True
    )
    assert run.returncode == 1
    assert "row 2: phone:" in run.stderr and "nothing imported" in run.stderr
    assert "Traceback" not in run.stderr and "12345" not in run.stdout
    run = subprocess.run(
        [*VOLOPS, "import-people", org.slug, str(bad), "--skip-invalid"],
        env=cli_env(settings),
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0 and "1 created" in run.stdout and "1 skipped" in run.stdout
    missing = subprocess.run(
        [*VOLOPS, "import-people", "no-such-org", str(good)],
        env=cli_env(settings),
        capture_output=True,
        text=True,
    )
    assert (
        missing.returncode == 2
        and missing.stderr.strip() == "volops: There is no organisation 'no-such-org'."
    )
