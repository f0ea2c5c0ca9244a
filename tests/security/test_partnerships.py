"""Rule 4: sharing needs both sides. An organisation shares an activity only with an organisation
whose coordinator accepted a partnership; either side ends it, and then the other's members come
off the coming dates, each told (a removal notice, which becomes her SMS)."""

import re

import pytest

from tests.board.test_plan import CSRF, signed_in
from tests.support.scheduling import PICKUP, notices, occurrences_of, plan, sign_up

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def partnerships(client, org) -> list[dict]:
    answer = await client.get(f"/organisations/{org.id}/partnerships", headers=org.auth())
    assert answer.status_code == 200
    return answer.json()


async def test_no_sharing_until_the_other_side_accepts(client, conn, org, other_org):
    refused = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | _shared(other_org)
    )
    assert refused.status_code == 422 and refused.json()["type"].endswith("not-a-partner")
    asked = await client.post(
        f"/organisations/{org.id}/partnerships", headers=org.auth(), json={"partner": "oslo-test"}
    )
    assert asked.status_code == 201 and asked.json()["state"] == "asked_by_us"
    waiting = await client.post(
        f"/organisations/{org.id}/activities", headers=org.auth(), json=PICKUP | _shared(other_org)
    )
    assert waiting.status_code == 422  # asking is one side only
    volunteer_tries = await client.post(
        f"/organisations/{other_org.id}/partnerships/{asked.json()['id']}/accept",
        headers=other_org.auth("volunteer"),
    )
    assert volunteer_tries.status_code == 403
    not_theirs = await client.post(
        f"/organisations/{org.id}/partnerships/{asked.json()['id']}/accept", headers=org.auth()
    )
    assert not_theirs.status_code == 404  # the asker cannot accept for the other
    (theirs,) = await partnerships(client, other_org)
    assert theirs["state"] == "asked_of_us" and theirs["partner_slug"] == "malmo-test"
    accepted = await client.post(
        f"/organisations/{other_org.id}/partnerships/{theirs['id']}/accept", headers=other_org.auth()
    )
    assert accepted.status_code == 200 and accepted.json()["state"] == "partners"
    shared = await plan(client, org, **_shared(other_org))
    assert shared["shared_with"] == [other_org.id]


async def test_ending_it_takes_their_members_off_coming_dates_and_tells_them(
    client, conn, clock, org, other_org
):
    await client.post(
        f"/organisations/{org.id}/partnerships", headers=org.auth(), json={"partner": "oslo-test"}
    )
    await client.post(
        f"/organisations/{other_org.id}/partnerships",
        headers=other_org.auth(),
        json={"partner": "malmo-test"},
    )
    activity = await plan(client, org, **_shared(other_org))
    first = (await occurrences_of(conn, activity["id"]))[0]
    role = activity["roles"][0]["id"]
    assert (await sign_up(client, other_org, first["id"], role)).status_code == 201
    assert (await sign_up(client, org, first["id"], role)).status_code == 201
    (partnership,) = await partnerships(client, other_org)
    ended = await client.delete(
        f"/organisations/{other_org.id}/partnerships/{partnership['id']}", headers=other_org.auth()
    )
    assert ended.status_code == 204
    on_it = await conn.fetch(
        "SELECT person_id, status FROM assignments WHERE occurrence_id = $1 ORDER BY person_id", first["id"]
    )
    assert [tuple(a) for a in on_it] == [(org.volunteer_id, "active"), (other_org.volunteer_id, "removed")]
    assert await notices(conn) == [(first["id"], "removed")]  # she is told
    seen = await client.get(f"/organisations/{other_org.id}/activities", headers=other_org.auth("volunteer"))
    assert seen.json()["items"] == []  # nothing stays shared
    assert await partnerships(client, org) == []


async def test_on_the_board(client, conn, org, other_org):
    await client.post(
        f"/organisations/{other_org.id}/partnerships",
        headers=other_org.auth(),
        json={"partner": "malmo-test"},
    )
    await signed_in(client, org)
    page = await client.get("/board/partners")
    assert page.status_code == 200 and "oslo-test (test)" in page.text
    accept = re.search(r'action="(/board/partners/\d+/accept)"', page.text)[1]
    done = await client.post(accept, data={"csrf": CSRF.search(page.text)[1]}, follow_redirects=True)
    assert done.status_code == 200 and (await partnerships(client, org))[0]["state"] == "partners"
    unknown = await client.post(
        "/board/partners", data={"csrf": CSRF.search(page.text)[1], "partner": "nobody-here"}
    )
    assert unknown.status_code == 422 and 'aria-invalid="true"' in unknown.text


def _shared(partner) -> dict:
    return {"shared_with": [partner.id]}
