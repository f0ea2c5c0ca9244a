import re
from datetime import timedelta

import msgspec
import pytest


async def test_health_and_ready(client):
    health = await client.get("/health")
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = await client.get("/ready")
    assert ready.status_code == 200
    assert ready.json()["postgres"] == ready.json()["redis"] == "ok"


async def test_openapi_lists_the_api(client):
    spec = (await client.get("/schema/openapi.json")).json()
    assert "/organisations/{org_id}/people" in spec["paths"]
    assert spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    # A local wall-clock time is declared as what it is, not as an RFC 3339 date-time with offset.
    start_local = spec["components"]["schemas"]["Occurrence"]["properties"]["start_local"]
    assert "format" not in start_local and start_local["pattern"].startswith("^\\d{4}")
    # Problem responses are declared, as problem details, on the operations that give them.
    responses = spec["paths"]["/organisations/{org_id}/people"]["post"]["responses"]
    assert {"400", "401", "404", "409", "422", "503"} <= set(responses)
    assert responses["422"]["content"]["application/problem+json"]["schema"]["$ref"].endswith("/Problem")
    page = await client.get("/schema/swagger")
    assert page.status_code == 200
    # The interactive docs load their files from this server, not from a CDN.
    assets = re.findall(r'(?:src|href)="(/static/swagger-ui/[^"]+)"', page.text)
    assert len(assets) >= 3 and "unpkg" not in page.text and "cdn" not in page.text
    for asset in assets:
        assert (await client.get(asset)).status_code == 200, asset


METRICS_TOKEN = "operators-prometheus-bearer"


@pytest.fixture
def settings(settings):
    return msgspec.structs.replace(settings, metrics_token=METRICS_TOKEN)


async def metrics_text(client) -> str:
    answer = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert answer.status_code == 200
    return answer.text


async def test_metrics_count_requests(client):
    await client.get("/health")
    metrics = await client.get("/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"})
    assert metrics.status_code == 200
    assert "volops_requests_total" in metrics.text or "requests_total" in metrics.text


async def test_unknown_route_is_a_problem(client):
    response = await client.get("/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == 404 and body["detail"]
    assert response.headers["x-request-id"]


async def test_metrics_give_operators_the_outbox_lateness_jobs_pool_and_feed_cache(client, conn, clock):
    now = clock.now()
    await conn.execute(
        "INSERT INTO outbox (key, kind, to_address, body, segments, due_at, status, send_started_at) VALUES"
        " ('m1', 'reminder', '+46701740671', 'x', 1, $1, 'delivered', $2),"
        " ('m2', 'reminder', '+46701740671', 'x', 1, $1, 'unknown', $3), ('m3', 'message', '+46701740671', 'x', 1, $1, 'pending', NULL)",
        now - timedelta(minutes=10),
        now - timedelta(minutes=10) + timedelta(seconds=4),
        now - timedelta(minutes=10) + timedelta(seconds=40),
    )
    text = await metrics_text(client)

    def value(name: str) -> float:
        return float(re.search(rf"^{re.escape(name)} (\S+)$", text, re.M)[1])

    assert (
        value('volops_outbox_messages{status="unknown"}') == 1
        and value('volops_outbox_messages{status="pending"}') == 1
    )
    assert value("volops_reminders_sent_last_hour") == 2
    assert 4 <= value('volops_reminder_lateness_seconds{quantile="0.5"}') <= 40
    assert value('volops_reminder_lateness_seconds{quantile="0.99"}') == pytest.approx(39.64, abs=0.1)
    pool = value('volops_db_pool_connections{state="in_use"}') + value(
        'volops_db_pool_connections{state="idle"}'
    )
    assert pool >= 1  # the figures' own read went through it
    assert "volops_jobs_running" in text and 'volops_feed_cache_polls{result="hit"}' in text
