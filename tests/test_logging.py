"""Logs are JSON lines with a request id, and phone numbers never appear whole in them."""

import io
import json

from services.logging import configure_logging, get_logger, mask_phone


def test_mask_phone_keeps_only_the_ends():
    assert mask_phone("+46701740605") == "+46*******05"
    assert mask_phone("ring 070-174 06 05 now") == "ring ********05 now"
    assert mask_phone("mobil 777 123 456") == "mobil *******56"
    assert mask_phone("2026-03-29T10:00:00+02:00 id 123456") == "2026-03-29T10:00:00+02:00 id 123456"


def test_log_lines_mask_phones_in_every_field():
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    get_logger().info("sms_sent", phone="+46701740605", to="070-174 06 05", detail="sent to +46701740605")
    line = json.loads(stream.getvalue().strip().splitlines()[-1])
    assert "1740605" not in json.dumps(line)
    assert line["phone"] == "+46*******05"
    configure_logging("INFO")


async def test_request_is_logged_with_its_id(client, org, capsys):
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        response = await client.post(
            f"/organisations/{org.id}/people",
            headers={**org.auth(), "X-Request-ID": "req-42"},
            json={"display_name": "Logged Person", "phone": "+46701740679", "roles": ["volunteer"]},
        )
    finally:
        configure_logging("INFO")
    assert response.headers["x-request-id"] == "req-42"
    lines = [json.loads(line) for line in stream.getvalue().splitlines()]
    request = next(line for line in lines if line["event"] == "request")
    assert request["request_id"] == "req-42" and request["status"] == 201
    assert "1740679" not in stream.getvalue()


async def test_secret_urls_are_masked_in_request_logs(client):
    stream = io.StringIO()
    configure_logging("INFO", stream=stream)
    try:
        for path in (
            "/feeds/vf_secret-one.ics",
            "/s/1-2-abc-SECRETSECRETSECR",
            "/b/3-4-abc-SECRETSECRETSECR/x",
            "/r/5-abc-SECRETSECRETSECR",
        ):
            await client.get(path)
    finally:
        configure_logging("INFO")
    ours = [json.loads(line) for line in stream.getvalue().splitlines() if '"logger": "httpx"' not in line]
    assert [line["path"] for line in ours if line["event"] == "request"] == [
        "/feeds/***",
        "/s/***",
        "/b/***/x",
        "/r/***",
    ]
    assert "SECRET" not in json.dumps(ours)  # (the test client's own httpx lines are not the service's)
