"""The issue's "also": spreadsheet cells never become formulas, Twilio replays are known by the
signed MessageSid, /metrics is not public, and every answer carries the headers that keep it
where it belongs."""

import io
import re
import zipfile
from pathlib import Path

import msgspec
import pytest
from twilio.request_validator import RequestValidator

from tests.board.test_plan import signed_in

pytestmark = pytest.mark.now("2026-03-02T10:00")
NGINX = Path(__file__).resolve().parents[2] / "infra" / "deploy" / "nginx.conf"


async def test_a_name_that_is_a_formula_reaches_the_spreadsheet_as_text(client, conn, org):
    formula = '=HYPERLINK("http://evil.example","Klicka")'
    renamed = await client.patch(
        f"/organisations/{org.id}/people/{org.volunteer_id}",
        headers=org.auth(),
        json={"display_name": formula},
    )
    assert renamed.status_code == 200
    export = await client.get(
        f"/organisations/{org.id}/people/{org.volunteer_id}/export.zip", headers=org.auth()
    )
    archive = zipfile.ZipFile(io.BytesIO(export.content))
    cells = [
        cell
        for name in archive.namelist()
        if name.endswith(".csv")
        for line in archive.read(name).decode().splitlines()
        for cell in re.split(r",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", line)
    ]
    assert not any(cell.lstrip('"').startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)
    assert any("'=HYPERLINK" in cell for cell in cells)
    assert formula in archive.read("export.json").decode().replace('\\"', '"')  # the JSON keeps it whole


async def test_a_replayed_stop_with_a_new_header_changes_nothing(client, conn, settings, org):
    url = f"{settings.public_base}/webhooks/twilio/sms"
    validator = RequestValidator(settings.twilio_auth_token)

    async def inbound(sid: str, body: str, header: str):
        params = {"From": org.volunteer_phone, "Body": body, "MessageSid": sid, "To": "+46700000000"}
        signed = {
            "X-Twilio-Signature": validator.compute_signature(url, params),
            "I-Twilio-Idempotency-Token": header,
        }
        return await client.post("/webhooks/twilio/sms", data=params, headers=signed)

    first = await inbound("SMstop", "STOP", "token-1")
    assert first.status_code == 200
    await inbound("SMstart", "START", "token-2")
    replayed = await inbound("SMstop", "STOP", "token-3")  # the same signed message, a new header
    assert replayed.text == first.text
    assert await conn.fetchval("SELECT sms_opted_out_at FROM people WHERE id = $1", org.volunteer_id) is None
    assert await conn.fetchval("SELECT count(*) FROM sms_replies") == 2


async def test_metrics_need_the_operators_bearer(client, settings):
    assert (await client.get("/metrics")).status_code == 404  # no VOLOPS_METRICS_TOKEN: no /metrics
    assert "location = /metrics" in NGINX.read_text() and "return 404" in NGINX.read_text()


@pytest.fixture
def settings(settings):
    return msgspec.structs.replace(settings, public_url="https://volops.example.org")


async def test_answers_carry_their_headers(client, org):
    person = await client.get(f"/organisations/{org.id}/people/{org.volunteer_id}", headers=org.auth())
    for header, value in (
        ("cache-control", "no-store"),
        ("x-frame-options", "DENY"),
        ("x-content-type-options", "nosniff"),
        ("strict-transport-security", "max-age=31536000; includeSubDomains"),
    ):
        assert person.headers[header] == value, header
    assert "frame-ancestors 'none'" in person.headers["content-security-policy"]
    docs = await client.get("/schema/swagger")
    assert docs.status_code == 200 and "script-src 'self'" in docs.headers["content-security-policy"]
    await signed_in(client, org)
    page = await client.get("/board")
    assert (
        page.headers["x-frame-options"] == "DENY"
        and "form-action 'self'" in page.headers["content-security-policy"]
    )
