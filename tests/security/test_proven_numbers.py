"""Rule 1: a number counts only once it is proven. A person changing her own number gets a code on
the new number and the change happens when the code comes back (API and page alike); a number a
coordinator typed is that organisation's record of it, and signs nobody in."""

import io
import re
import zipfile

import pytest

from tests.board.test_plan import CSRF, signed_in
from tests.board.test_sign_in_by_sms import code_sent

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def my_page(client, link: str) -> None:
    opened = await client.get("/my/sign-in", params={"token": link}, follow_redirects=False)
    assert opened.status_code == 303


async def test_the_audits_attack_chain_is_refused_at_every_step(client, conn, shared_phone):
    s = shared_phone
    me = f"/organisations/{s.oslo.id}/people/{s.attacker}"
    # 1. Her page link cannot say she shares a phone (only a coordinator confirms that) ...
    shared = await client.patch(me, headers=s.as_attacker(), json={"phone": s.phone, "shares_phone": True})
    assert shared.status_code == 403
    # ... and taking the number waits for the code texted to it, which goes to its holder.
    taken = await client.patch(me, headers=s.as_attacker(), json={"phone": s.phone})
    assert taken.status_code == 409 and taken.json()["type"].endswith("phone-taken")  # Sara has it here
    other = "+4670174" + "0690"
    waiting = await client.patch(me, headers=s.as_attacker(), json={"phone": other})
    assert waiting.status_code == 200
    assert waiting.json()["phone"] != other and waiting.json()["phone_waiting_for_code"] == other
    assert await conn.fetchval("SELECT phone FROM people WHERE id = $1", s.attacker) != other
    # 2. The board's SMS code for the victim's number goes to the victim's phone ...
    asked = await client.post("/board/sign-in/code", data={"phone": s.phone})
    assert asked.status_code == 200
    code = await code_sent(conn)
    # 3. ... and is in nobody's export: not hers (texts are found by her id, never a number).
    await my_page(client, s.attacker_link)
    export = await client.get("/my/export.zip")
    assert export.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    everything = " ".join(archive.read(name).decode() for name in archive.namelist())
    assert code not in everything and s.phone not in everything
    assert "(one-time code)" in everything  # her own proof text is there, its code is not
    # 4. Without the code nobody signs in; with it, its holder reaches her own organisation only.
    guessed = await client.post("/board/sign-in/code/check", data={"phone": s.phone, "code": "000000"})
    assert guessed.status_code == 401
    signed = await client.post(
        "/board/sign-in/code/check", data={"phone": s.phone, "code": code}, follow_redirects=False
    )
    assert signed.status_code == 303
    assert await conn.fetchval("SELECT organisation_id FROM sessions WHERE kind = 'board'") == s.malmo.id


async def test_her_own_new_number_counts_when_the_code_comes_back(client, conn, clock, org):
    me = f"/organisations/{org.id}/people/{org.volunteer_id}"
    new = "+4670174" + "0691"
    asked = await client.patch(me, headers=org.auth("volunteer"), json={"phone": "070-174 06 91"})
    assert asked.json()["phone"] == org.volunteer_phone and asked.json()["phone_waiting_for_code"] == new
    text = await conn.fetchrow("SELECT to_address, person_id FROM outbox WHERE key LIKE 'phone-proof:%'")
    assert tuple(text) == (new, org.volunteer_id)  # the code goes to the new number only
    code = await code_sent(conn, "phone-proof")
    wrong = await client.post(f"{me}/phone-proof", headers=org.auth("volunteer"), json={"code": "000000"})
    assert wrong.status_code == 422 and wrong.json()["type"].endswith("bad-code")
    proven = await client.post(f"{me}/phone-proof", headers=org.auth("volunteer"), json={"code": code})
    assert proven.status_code == 200, proven.text
    assert proven.json()["phone"] == new and proven.json()["phone_proven"] is True
    assert proven.json()["phone_waiting_for_code"] is None
    again = await client.post(f"{me}/phone-proof", headers=org.auth("volunteer"), json={"code": code})
    assert again.status_code == 422  # a code works once
    someone_else = await client.post(
        f"/organisations/{org.id}/people/{org.coordinator_id}/phone-proof",
        headers=org.auth("volunteer"),
        json={"code": code},
    )
    assert someone_else.status_code == 404  # only she proves her own number


async def test_three_codes_an_hour(client, conn, org):
    me = f"/organisations/{org.id}/people/{org.volunteer_id}"
    for n in range(3):
        ok = await client.patch(me, headers=org.auth("volunteer"), json={"phone": f"070-174 06 9{n}"})
        assert ok.status_code == 200
    refused = await client.patch(me, headers=org.auth("volunteer"), json={"phone": "070-174 06 95"})
    assert refused.status_code == 429
    assert await conn.fetchval("SELECT count(*) FROM phone_proofs") == 3  # nothing half-written


async def test_on_her_settings_page(client, conn, shared_phone):
    s = shared_phone
    await my_page(client, s.attacker_link)
    page = await client.get("/my/settings")
    csrf = CSRF.search(page.text)[1]
    asked = await client.post("/my/settings/phone", data={"csrf": csrf, "phone": "+46 70 174 06 92"})
    assert asked.status_code == 200 and 'id="phone-code"' in asked.text
    code = await code_sent(conn, "phone-proof")
    wrong = await client.post("/my/settings/phone/code", data={"csrf": csrf, "code": "000000"})
    assert wrong.status_code == 422 and 'role="alert"' in wrong.text
    done = await client.post("/my/settings/phone/code", data={"csrf": csrf, "code": code})
    assert done.status_code == 200 and 'id="phone-code"' not in done.text
    assert await conn.fetchval("SELECT phone FROM people WHERE id = $1", s.attacker) == "+46701740692"


async def test_a_number_a_coordinator_typed_is_a_record_and_signs_nobody_in(client, conn, org):
    typed = await client.patch(
        f"/organisations/{org.id}/people/{org.coordinator_id}", headers=org.auth(), json={"sms_consent": True}
    )
    assert typed.json()["phone_proven"] is False  # made by the factory, never proven
    asked = await client.post("/board/sign-in/code", data={"phone": typed.json()["phone"]})
    assert asked.status_code == 200 and "a code is on its way" in asked.text  # the same answer ...
    assert await conn.fetchval("SELECT count(*) FROM outbox") == 0  # ... and no code
    other = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth(),
        json={"phone": "070-174 06 93"},
    )
    assert other.json()["phone"] == "+46701740693" and other.json()["phone_proven"] is False


async def test_a_changed_record_is_no_longer_proven(client, conn, org):
    await conn.execute("UPDATE people SET phone_proven_at = now() WHERE id = $1", org.volunteer_id)
    changed = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth(),
        json={"phone": "070-174 06 94"},
    )
    assert changed.json()["phone_proven"] is False
    kept = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}", headers=org.auth(), json={"display_name": "Ny"}
    )
    assert kept.json()["phone_proven"] is False and re.match(r"^\+4670174", kept.json()["phone"])


async def test_a_coordinator_proves_her_own_number_on_the_board(client, conn, org):
    await signed_in(client, org)
    page = await client.get(f"/board/people/{org.coordinator_id}")
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split('id="limits"')[0]))
    form |= {"phone": "070-174 06 96", "csrf": CSRF.search(page.text)[1]}
    asked = await client.post(f"/board/people/{org.coordinator_id}", data=form, follow_redirects=True)
    assert asked.status_code == 200 and 'id="phone-code"' in asked.text
    wrong = await client.post(
        f"/board/people/{org.coordinator_id}/phone-code", data={"csrf": form["csrf"], "code": "000000"}
    )
    assert wrong.status_code == 422 and 'aria-invalid="true"' in wrong.text  # marked, not a 500
    assert f'value="Coordinator of {org.slug}"' in wrong.text  # her details as they are, not emptied
    code = await code_sent(conn, "phone-proof")
    await client.post(
        f"/board/people/{org.coordinator_id}/phone-code", data={"csrf": form["csrf"], "code": code}
    )
    row = await conn.fetchrow("SELECT phone, phone_proven_at FROM people WHERE id = $1", org.coordinator_id)
    assert row["phone"] == "+46701740696" and row["phone_proven_at"] is not None


async def test_a_refused_change_on_a_persons_page_is_shown_not_a_500(client, conn, org):
    await signed_in(client, org)
    page = await client.get(f"/board/people/{org.volunteer_id}")
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', page.text.split('id="limits"')[0]))
    taken = form | {"phone": org.volunteer_phone, "csrf": CSRF.search(page.text)[1]}
    taken.pop("shares_phone", None)  # a checkbox: not ticked
    await conn.execute("UPDATE people SET phone = $2 WHERE id = $1", org.coordinator_id, org.volunteer_phone)
    refused = await client.post(f"/board/people/{org.volunteer_id}", data=taken, follow_redirects=False)
    assert refused.status_code == 409 and "Någon här har redan det numret" in refused.text
