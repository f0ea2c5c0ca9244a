"""Dates a person can type are bounded to sane years, in the contracts and the page forms alike:
one far in the past or the future is a clear 4xx in her terms, never a 500."""

import pytest

from tests.board.test_plan import CSRF, plan, signed_in

pytestmark = pytest.mark.now("2026-03-02T10:00")


@pytest.mark.parametrize(
    "path",
    [
        "/board/plan?week=9999-12-31",
        "/board/plan?week=0001-01-01",
        "/board/plan/month?month=0000-01",
        "/board/plan/month?month=9999-12",
        "/board/reports?month=9999-12",
        "/board/reports?month=0000-01",
        "/board/reports/hours.csv?month=9999-12",
        "/board/plan?week=%00",
    ],
)
async def test_far_dates_on_the_board_are_refused_as_pages(client, org, path):
    await signed_in(client, org)
    answer = await client.get(path)
    assert 400 <= answer.status_code < 500, (path, answer.status_code)
    assert answer.headers["content-type"].startswith("text/html")  # a page, never the API's JSON


@pytest.mark.parametrize(
    "path",
    [
        "/reports/hours?month=0000-01",
        "/reports/hours?month=9999-12",
        "/gaps?start=9999-12-31T00:00:00%2B00:00",
        "/gaps?start=0001-01-01T00:00:00%2B00:00",
        "/occurrences?start=9999-12-31T00:00:00%2B00:00",
    ],
)
async def test_far_dates_in_the_api_are_refused(client, org, path):
    answer = await client.get(f"/organisations/{org.id}{path}", headers=org.auth())
    assert answer.status_code == 422, (path, answer.status_code, answer.text)
    assert "a date between 2000 and 2099" in answer.json()["detail"]


async def test_auto_fill_and_moves_far_out_are_refused(client, conn, org):
    activity = await plan(client, org)
    occurrence_id = await conn.fetchval(
        "SELECT min(id) FROM occurrences WHERE activity_id = $1", activity["id"]
    )
    moved = await client.patch(
        f"/organisations/{org.id}/occurrences/{occurrence_id}",
        headers=org.auth(),
        json={"start_local": "9999-12-31T23:59:00"},
    )
    assert moved.status_code == 422 and moved.json()["errors"][0]["field"] == "start_local", moved.text
    filled = await client.post(
        f"/organisations/{org.id}/autofill/preview",
        headers=org.auth(),
        json={"start": "0001-01-01T00:00:00+00:00", "end": "9999-12-31T00:00:00+00:00"},
    )
    assert filled.status_code == 422 and "2000 and 2099" in filled.json()["detail"], filled.text


async def test_a_move_far_out_on_the_board_is_refused_in_her_words(client, conn, org):
    activity = await plan(client, org)
    occurrence_id = await conn.fetchval(
        "SELECT min(id) FROM occurrences WHERE activity_id = $1", activity["id"]
    )
    await signed_in(client, org)
    page = await client.get(f"/board/occurrences/{occurrence_id}")
    csrf = CSRF.search(page.text)[1]
    moved = await client.post(
        f"/board/occurrences/{occurrence_id}/move", data={"csrf": csrf, "start_local": "9999-12-31T23:59"}
    )
    assert 400 <= moved.status_code < 500 and "mellan 2000 och 2099" in moved.text
