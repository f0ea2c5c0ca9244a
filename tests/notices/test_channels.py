"""A notice goes on the channel the person chose when it reaches her, else on the first that does,
and a new channel needs only its registry line (and its migration) to carry every notice. The
channel here is made up for the test: a pigeon loft that reaches everyone."""

from datetime import timedelta

import pytest

from services.channel import Channel
from services.notices import registry
from services.notices import service as notices

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def lofts(conn, person_ids: list[int]) -> dict[int, str]:
    return {person_id: f"loft {person_id}" for person_id in person_ids}


PIGEON = Channel(name="pigeon", addresses=lofts, size=lambda body: None)


@pytest.fixture
async def pigeons(conn, monkeypatch):
    """The pigeon channel registered after SMS, as a migration and a registry line would add it."""
    monkeypatch.setattr(registry, "CHANNELS", {**registry.CHANNELS, "pigeon": PIGEON})
    monkeypatch.setattr(notices, "CHANNELS", registry.CHANNELS)
    transaction = conn.transaction()
    await transaction.start()
    await conn.execute("""
        ALTER TABLE outbox DROP CONSTRAINT outbox_channel_known,
            ADD CONSTRAINT outbox_channel_known CHECK (channel IN ('sms', 'pigeon'));
        ALTER TABLE people DROP CONSTRAINT people_notice_channel_known,
            ADD CONSTRAINT people_notice_channel_known CHECK (notice_channel IN ('sms', 'pigeon'))""")
    yield
    await transaction.rollback()


async def tell(conn, clock, person_id: int, key: str) -> bool:
    return await notices.tell(
        conn,
        clock,
        person_id,
        key=key,
        template="cover_declined",
        organisation_id=None,
        before=clock.now() + timedelta(days=1),
    )


async def sent(conn) -> dict[str, tuple[str, str, int | None]]:
    rows = await conn.fetch("SELECT key, channel, to_address, segments FROM outbox ORDER BY id")
    return {r["key"]: (r["channel"], r["to_address"], r["segments"]) for r in rows}


async def test_her_own_choice_first_then_the_first_channel_that_reaches_her(conn, clock, org, pigeons):
    volunteer, coordinator = org.volunteer_id, org.coordinator_id
    assert await tell(conn, clock, volunteer, "by-sms")  # SMS is her choice and reaches her
    await conn.execute("UPDATE people SET notice_channel = 'pigeon' WHERE id = $1", volunteer)
    assert await tell(conn, clock, volunteer, "by-pigeon")  # she chose the loft
    await conn.execute(
        "UPDATE people SET notice_channel = 'sms', sms_consent = false WHERE id = $1", coordinator
    )
    assert await tell(conn, clock, coordinator, "no-sms")  # no consent to texts: the loft reaches her
    assert await sent(conn) == {
        "by-sms": ("sms", org.volunteer_phone, 1),
        "by-pigeon": ("pigeon", f"loft {volunteer}", None),
        "no-sms": ("pigeon", f"loft {coordinator}", None),
    }
    assert not await tell(conn, clock, volunteer, "by-pigeon")  # once per notice and channel


async def test_without_a_channel_that_reaches_her_nothing_is_written(conn, clock, org):
    await conn.execute("UPDATE people SET sms_opted_out_at = $2 WHERE id = $1", org.volunteer_id, clock.now())
    assert not await notices.reachable(conn, org.volunteer_id)
    assert not await tell(conn, clock, org.volunteer_id, "nowhere")
    assert await sent(conn) == {}


async def test_what_only_sms_needs_is_checked_for_sms_rows_only(conn):
    insert = "INSERT INTO outbox (key, channel, kind, to_address, body, segments, due_at) VALUES ($1, 'sms', 'message', $2, 'Hej', $3, now())"
    with pytest.raises(Exception, match="outbox_address_fits_channel"):
        await conn.execute(insert, "not-a-number", "karin@example.org", 1)
    with pytest.raises(Exception, match="outbox_sms_has_segments"):
        await conn.execute(insert, "no-segments", "+46701234567", None)
