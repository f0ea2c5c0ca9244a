"""The demo `volops dev` loads: a newcomer can try attendance and the month's report at once,
because the bakery pickup began two weeks ago with drivers on its past dates; loading it again
adds nothing."""

import pytest

from infra import demo

pytestmark = pytest.mark.now("2026-03-04T09:00")

PAST_AND_UNMARKED = """
    SELECT count(*) FROM assignments a JOIN occurrences o ON o.id = a.occurrence_id
    WHERE o.ends_at < $1 AND a.status = 'active' AND a.attendance IS NULL"""


async def test_the_demo_has_past_shifts_waiting_for_attendance(conn, clock):
    await demo.load(conn, clock)
    waiting = await conn.fetchval(PAST_AND_UNMARKED, clock.now())
    assert waiting >= 2
    await demo.load(conn, clock)
    assert await conn.fetchval(PAST_AND_UNMARKED, clock.now()) == waiting
