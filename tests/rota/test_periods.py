"""Each limit on a period has its own problem, so the person reads which one she ran into."""

import pytest

pytestmark = pytest.mark.now("2026-03-02T10:00")


@pytest.mark.parametrize(
    "method, path, period, code",
    [
        ("GET", "/gaps", ("2026-03-09", "2026-03-02"), "period-backwards"),
        ("GET", "/gaps", ("2026-03-02", "2027-03-10"), "period-over-a-year"),
        ("GET", "/occurrences", ("2026-03-02", "2027-03-10"), "period-over-a-year"),
        ("POST", "/autofill/preview", ("2026-03-02", "2026-05-10"), "period-over-two-months"),
        ("POST", "/autofill/preview", ("2026-03-09", "2026-03-02"), "period-backwards"),
    ],
)
async def test_each_limit_says_which(client, org, method, path, period, code):
    start, end = (f"{day}T00:00:00+01:00" for day in period)
    if method == "GET":
        answer = await client.get(
            f"/organisations/{org.id}{path}", headers=org.auth(), params={"start": start, "end": end}
        )
    else:
        answer = await client.post(
            f"/organisations/{org.id}{path}", headers=org.auth(), json={"start": start, "end": end}
        )
    assert answer.status_code == 422 and answer.json()["type"].endswith(code), answer.text


async def test_weeks_of_open_shifts(client, org):
    answer = await client.get(
        f"/organisations/{org.id}/open-occurrences", headers=org.auth("volunteer"), params={"weeks": 27}
    )
    assert answer.status_code == 422 and answer.json()["type"].endswith("weeks-out-of-range")
