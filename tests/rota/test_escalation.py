"""Escalation with a controllable clock: gaps within 48 h are asked for by the service itself; still
open 12 h before the start, the coordinators are told once, outside quiet hours."""

from datetime import UTC, datetime, timedelta

import pytest

from services.rota import escalation
from tests.support.scheduling import occurrences_of, plan

# The dates below are written out from Monday 2 March 2026, 10:00 in Stockholm.
pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_gap_within_48_hours_is_asked_for_then_coordinators_told(client, conn, clock, org):
    activity = await plan(
        client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}]
    )
    occurrence = (await occurrences_of(conn, activity["id"]))[0]  # Tue 3 March 10:00 local, 25 h ahead
    far = await plan(client, org, title="Later", rrule=None, start_local="2026-03-20T10:00:00")
    assert await escalation.escalate(conn, clock, "https://volops.test") == {
        "asked": 1,
        "coordinators_told": 0,
    }
    request = await conn.fetchrow("SELECT * FROM cover_requests")
    assert request["occurrence_id"] == occurrence["id"] and request["status"] == "open"
    assert await conn.fetchval("SELECT count(*) FROM cover_asks") == 2  # both members of the organisation
    assert await escalation.escalate(conn, clock, "https://volops.test") == {
        "asked": 0,
        "coordinators_told": 0,
    }  # never twice
    far_occurrence = (await occurrences_of(conn, far["id"]))[0]
    assert (
        await conn.fetchval(
            "SELECT count(*) FROM cover_requests WHERE occurrence_id = $1", far_occurrence["id"]
        )
        == 0
    )

    clock.advance(timedelta(hours=14))  # Mon 23:00 UTC = midnight in Malmö, 9 h before the start
    told = await escalation.escalate(conn, clock, "https://volops.test")
    assert told["coordinators_told"] == 1
    alert = await conn.fetchrow("SELECT person_id, body, due_at FROM outbox WHERE key LIKE 'gap-alert:%'")
    assert alert["person_id"] == org.coordinator_id and alert["body"].startswith(
        "Lucka: Bread from the bakery"
    )
    assert alert["due_at"] == datetime(2026, 3, 3, 7, 0, tzinfo=UTC)  # 08:00 local: after the quiet hours
    assert (await escalation.escalate(conn, clock, "https://volops.test"))["coordinators_told"] == 0


async def test_organisations_can_switch_escalation_off(client, conn, clock, org):
    await conn.execute("UPDATE organisations SET escalation_enabled = false WHERE id = $1", org.id)
    await plan(client, org, rrule=None, roles=[{"name": "driver", "min_people": 1, "max_people": 1}])
    assert await escalation.escalate(conn, clock, "https://volops.test") == {
        "asked": 0,
        "coordinators_told": 0,
    }
