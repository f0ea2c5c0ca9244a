"""SMS that did not arrive, on the board: each with what to do, and "send it again" where that is
the coordinator's call (the service never resends an unknown message by itself)."""

import pytest

from tests.board.test_plan import form_token, signed_in
from tests.support.factories import add_member, fictional_phone
from tests.support.sms import put_in_outbox

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def message(conn, clock, org, person: int, status: str) -> int:
    outbox_id = await put_in_outbox(
        conn,
        f"test:{status}",
        fictional_phone(),
        "Påminnelse",
        clock.now(),
        person_id=person,
        organisation_id=org.id,
        kind="reminder",
    )
    await conn.execute("UPDATE outbox SET status = $2 WHERE id = $1", outbox_id, status)
    return outbox_id


async def test_each_problem_says_what_to_do_and_an_unknown_one_can_go_again(
    client, conn, clock, org, other_org
):
    anna = await add_member(conn, clock, org, "Anna Prov")
    failed = await message(conn, clock, org, anna, "failed")
    unknown = await message(conn, clock, org, anna, "unknown")
    await signed_in(client, org)
    page = await client.get("/board/sms")
    assert "Anna Prov" in page.text and "Kolla numret med personen" in page.text
    assert "Fråga personen" in page.text
    assert f'action="/board/sms/{unknown}/send-again"' in page.text
    assert f'action="/board/sms/{failed}/send-again"' not in page.text
    csrf = await form_token(client, "/board/sms")
    again = await client.post(f"/board/sms/{unknown}/send-again", data={"csrf": csrf}, follow_redirects=False)
    assert again.status_code == 303
    assert await conn.fetchval("SELECT status FROM outbox WHERE id = $1", unknown) == "pending"
    refused = await client.post(f"/board/sms/{failed}/send-again", data={"csrf": csrf})
    assert refused.status_code == 404 and "kan inte skickas igen" in refused.text
    await signed_in(client, other_org)
    assert "Anna Prov" not in (await client.get("/board/sms")).text
