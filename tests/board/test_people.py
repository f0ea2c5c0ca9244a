"""People from the board: search and paging, add and change through the API's contracts and rules,
a malformed phone shown again with the field marked and nothing written."""

import re

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import add_member, fictional_phone

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_search_and_page_through_the_people(client, conn, clock, org):
    for n in range(55):
        await add_member(conn, clock, org, f"Volontär {n:02}")
    await add_member(conn, clock, org, "Zelda Sökbar", phone="+46701740687")
    await signed_in(client, org)
    first = await client.get("/board/people")
    assert len(re.findall(r'<li data-person="', first.text)) == 50 and "Fler" in first.text
    cursor = re.search(r'href="/board/people\?cursor=(\d+)"', first.text)[1]
    second = await client.get("/board/people", params={"cursor": cursor})
    assert "Zelda Sökbar" in second.text and "Volontär 00" not in second.text
    found = await client.get("/board/people", params={"q": "zelda"})
    assert re.findall(r'data-person="\d+"><a [^>]+>([^<]+)', found.text) == ["Zelda Sökbar"]
    assert "Zelda Sökbar" in (await client.get("/board/people", params={"q": "070-174 06 87"})).text
    assert "Ingen hittades." in (await client.get("/board/people", params={"q": "nobody-like-this"})).text


async def test_add_and_change_a_person_a_bad_phone_is_marked(client, conn, clock, org):
    await signed_in(client, org)
    csrf = await form_token(client, "/board/people")
    bad = await client.post(
        "/board/people",
        data={"csrf": csrf, "display_name": "Nora Ny", "phone": "12", "language": "nb", "role": "volunteer"},
    )
    assert bad.status_code == 422 and "Ingenting sparades" in bad.text
    assert re.search(r'id="phone" name="phone"[^>]*aria-invalid="true"', bad.text, re.S)
    assert 'value="Nora Ny"' in bad.text  # what she typed is kept
    assert await conn.fetchval("SELECT count(*) FROM people WHERE display_name = 'Nora Ny'") == 0

    phone = fictional_phone()
    added = await client.post(
        "/board/people",
        data={
            "csrf": csrf,
            "display_name": "Nora Ny",
            "phone": phone,
            "language": "nb",
            "role": "volunteer",
            "sms_consent": "true",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    nora = await conn.fetchrow(
        "SELECT id, language, sms_consent, phone FROM people WHERE display_name = 'Nora Ny'"
    )
    assert nora["language"] == "nb" and nora["sms_consent"] and nora["phone"].startswith("+46")
    same_phone = await client.post(
        "/board/people", data={"csrf": csrf, "display_name": "Nora Två", "phone": phone, "role": "volunteer"}
    )
    assert same_phone.status_code == 409 and 'aria-invalid="true"' in same_phone.text

    page = f"/board/people/{nora['id']}"
    assert 'value="Nora Ny"' in (await client.get(page)).text
    changed = await client.post(
        page,
        data={"csrf": csrf, "display_name": "Nora Nyberg", "phone": phone, "language": "sv"},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    after = await conn.fetchrow(
        "SELECT display_name, language, sms_consent FROM people WHERE id = $1", nora["id"]
    )
    assert tuple(after) == ("Nora Nyberg", "sv", False)  # the unticked box withdrew consent


async def test_a_volunteer_or_another_organisation_cannot_open_people(client, conn, clock, org, other_org):
    theirs = await add_member(conn, clock, other_org, "Elsewhere Person")
    await signed_in(client, org)
    page = await client.get(f"/board/people/{theirs}")
    assert page.status_code == 404 and "Elsewhere" not in page.text


async def test_qualification_types_and_a_persons_qualification_with_its_dates(client, conn, clock, org):
    driver = await add_member(conn, clock, org, "Dora Körkort")
    await signed_in(client, org)
    csrf = await form_token(client, "/board/qualifications")
    added = await client.post(
        "/board/qualifications/types", data={"csrf": csrf, "name": "Driving licence"}, follow_redirects=False
    )
    assert added.status_code == 303
    again = await client.post("/board/qualifications/types", data={"csrf": csrf, "name": "Driving  licence"})
    assert again.status_code == 409 and "Den behörighetstypen finns redan." in again.text
    licence = await conn.fetchval("SELECT id FROM qualification_types WHERE organisation_id = $1", org.id)
    recorded = await client.post(
        f"/board/people/{driver}/qualifications",
        data={"csrf": csrf, "qualification_type_id": str(licence), "valid_until": "2026-03-20"},
        follow_redirects=False,
    )
    assert recorded.status_code == 303
    page = await client.get(f"/board/people/{driver}")
    assert "Driving licence gäller till 20 mars 2026" in page.text
    assert 'class="field-error">Driving licence' in page.text  # runs out within 30 days: marked
    soon = await client.get("/board/qualifications", params={"days": 30})
    assert "Dora Körkort" in soon.text


async def test_calendar_link_shown_once_as_qr_sent_by_sms_rotated_and_switched_off(client, conn, clock, org):
    phone = fictional_phone()
    nora = await add_member(conn, clock, org, "Nora Kalender", phone=phone)
    await conn.execute("UPDATE people SET sms_consent = true, language = 'cs' WHERE id = $1", nora)
    silent = await add_member(conn, clock, org, "Utan Nummer")
    await signed_in(client, org)
    page = f"/board/people/{nora}"
    csrf = await form_token(client, page)

    shown = await client.post(f"{page}/calendar", data={"csrf": csrf, "show": "1"})
    assert shown.status_code == 200 and "<svg" in shown.text  # the QR code, drawn on the server
    webcal = re.search(r'href="(webcal://[^"]+\.ics)"', shown.text)[1]
    path = "/" + webcal.split("/", 3)[-1]
    assert (await client.get(path)).status_code == 200  # a working feed
    listed = await client.get(page)
    assert webcal not in listed.text and 'data-feed="' in listed.text  # the secret is not shown again

    sent = await client.post(f"{page}/calendar", data={"csrf": csrf, "send": "1"}, follow_redirects=False)
    assert sent.status_code == 303
    body = await conn.fetchval(
        "SELECT body FROM outbox WHERE person_id = $1 AND key LIKE 'calendar-link:%'", nora
    )
    assert body.startswith("Vaše směny jako kalendář") and body.endswith(webcal)  # the link she has
    refused = await client.post(f"/board/people/{silent}/calendar", data={"csrf": csrf, "send": "1"})
    assert refused.status_code == 422 and "nelze" not in refused.text and "kan inte få sms" in refused.text

    feed_id = int(re.search(r'data-feed="(\d+)"', listed.text)[1])
    rotated = await client.post(f"{page}/calendar/{feed_id}/rotate", data={"csrf": csrf})
    assert rotated.status_code == 200 and webcal not in rotated.text
    assert (await client.get(path)).status_code == 410  # the old address stops at once
    await client.post(f"{page}/calendar/{feed_id}/off", data={"csrf": csrf})
    assert await conn.fetchval("SELECT revoked_at IS NOT NULL FROM feed_subscriptions WHERE id = $1", feed_id)
