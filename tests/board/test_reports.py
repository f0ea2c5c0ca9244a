"""The month's report on the board: the hours that attendance recorded, by kind, activity and
volunteer, with a chart drawn on the server and the same CSV as the API."""

import re
from datetime import timedelta

import pytest

from tests.board.test_plan import signed_in
from tests.support.factories import add_member
from tests.support.scheduling import occurrences_of, plan

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_report_hours_match_the_attendance_and_the_api(client, conn, clock, org):
    anna = await add_member(conn, clock, org, "Anna Prov")
    activity = await plan(client, org)  # two hours, Tuesdays and Fridays
    role_id = activity["roles"][0]["id"]
    first, second = (await occurrences_of(conn, activity["id"]))[:2]
    for occurrence in (first, second):
        made = await client.post(
            f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
            headers=org.auth(),
            json={"role_id": role_id, "person_id": anna},
        )
        assert made.status_code == 201, made.text
    clock.advance(timedelta(days=5))  # after both
    ids = [r["id"] for r in await conn.fetch("SELECT id FROM assignments ORDER BY id")]
    await client.put(
        f"/organisations/{org.id}/assignments/{ids[0]}/attendance",
        headers=org.auth(),
        json={"attendance": "attended"},
    )
    await client.put(
        f"/organisations/{org.id}/assignments/{ids[1]}/attendance",
        headers=org.auth(),
        json={"attendance": "no_show"},
    )
    await signed_in(client, org)
    page = await client.get("/board/reports", params={"month": "2026-03"})
    assert page.status_code == 200
    assert "Volontärtimmar i mars 2026" in page.text and "Närvarotimmar totalt: 2" in page.text
    assert "<svg" in page.text and 'width="240"' in page.text  # the one kind takes the whole bar
    assert "<td>Anna Prov</td><td>2</td><td>1</td>" in page.text
    csv = await client.get("/board/reports/hours.csv", params={"month": "2026-03"})
    api = await client.get(
        f"/organisations/{org.id}/reports/hours",
        headers=org.auth(),
        params={"month": "2026-03", "format": "csv"},
    )
    assert csv.status_code == 200 and csv.text == api.text and "Matupphämtning,2.00,1,1" in csv.text
    assert "attachment" in csv.headers["content-disposition"]
    bad = await client.get("/board/reports", params={"month": "March"})
    assert bad.status_code == 422 and "Välj en månad som 2026-03." in bad.text


async def test_a_read_only_link_for_a_funder_without_names_unless_ticked(client, conn, clock, org, other_org):
    anna = await add_member(conn, clock, org, "Anna Prov")
    activity = await plan(client, org)
    occurrence = (await occurrences_of(conn, activity["id"]))[0]
    made = await client.post(
        f"/organisations/{org.id}/occurrences/{occurrence['id']}/assignments",
        headers=org.auth(),
        json={"role_id": activity["roles"][0]["id"], "person_id": anna},
    )
    clock.advance(timedelta(days=2))
    await client.put(
        f"/organisations/{org.id}/assignments/{made.json()['id']}/attendance",
        headers=org.auth(),
        json={"attendance": "attended"},
    )
    await signed_in(client, org)
    page = await client.get("/board/reports", params={"month": "2026-03"})
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)[1]
    links = {}
    for names in ("", "true"):
        shared = await client.post(
            "/board/reports/link", data={"csrf": csrf, "month": "2026-03", "days": "7", "names": names}
        )
        assert shared.status_code == 200
        links[names] = re.search(r'href="http[^"]+(/r/[^"]+)"', shared.text)[1]
    client.cookies.clear()  # the funder has no session
    anonymous = await client.get(links[""])
    assert anonymous.status_code == 200 and "Närvarotimmar totalt: 2" in anonymous.text
    assert "Anna Prov" not in anonymous.text and "Logga ut" not in anonymous.text
    assert "Anna Prov" in (await client.get(links["true"])).text
    assert (await client.get(links[""][:-3] + "xyz")).status_code == 404  # not signed by us
    clock.advance(timedelta(days=8))
    assert (await client.get(links[""])).status_code == 410  # expired
