"""Token authentication, revocation and the guards of each role."""

from datetime import timedelta

from services.access.service import hash_secret


async def test_no_token_is_401_problem(client, org):
    response = await client.get("/me")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")
    assert "Bearer" in response.json()["detail"]
    assert response.headers["www-authenticate"].startswith("Bearer")


async def test_unknown_and_malformed_tokens_are_401(client, org):
    for header in ("Bearer vo_not-a-real-token", "Basic abc", "Bearer", org.coordinator_token):
        response = await client.get("/me", headers={"Authorization": header})
        assert response.status_code == 401, header


async def test_token_acts_for_its_person(client, org):
    response = await client.get("/me", headers=org.auth())
    assert response.status_code == 200
    me = response.json()
    assert me["person_id"] == org.coordinator_id
    assert me["organisation_id"] == org.id
    assert me["roles"] == ["coordinator"]


async def test_secret_is_stored_only_as_a_hash(conn, org):
    stored = await conn.fetch("SELECT token_hash FROM api_tokens")
    assert hash_secret(org.coordinator_token) in [r["token_hash"] for r in stored]
    dump = str(await conn.fetch("SELECT * FROM api_tokens"))
    assert org.coordinator_token not in dump
    assert org.coordinator_token.removeprefix("vo_") not in dump


async def test_revoked_token_stops_working(client, org):
    me = (await client.get("/me", headers=org.auth("volunteer"))).json()
    revoked = await client.delete(
        f"/organisations/{org.id}/tokens/{me['token_id']}", headers=org.auth("volunteer")
    )
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    after = await client.get("/me", headers=org.auth("volunteer"))
    assert after.status_code == 401
    assert "revoked" in after.json()["detail"]


async def test_coordinator_revokes_a_volunteers_token_but_not_the_reverse(client, org):
    tokens = (await client.get(f"/organisations/{org.id}/tokens", headers=org.auth())).json()["items"]
    by_person = {t["person_id"]: t["id"] for t in tokens}
    refused = await client.delete(
        f"/organisations/{org.id}/tokens/{by_person[org.coordinator_id]}", headers=org.auth("volunteer")
    )
    assert refused.status_code == 404
    assert (await client.get("/me", headers=org.auth())).status_code == 200
    done = await client.delete(
        f"/organisations/{org.id}/tokens/{by_person[org.volunteer_id]}", headers=org.auth()
    )
    assert done.status_code == 200
    assert (await client.get("/me", headers=org.auth("volunteer"))).status_code == 401


async def test_volunteer_lists_only_own_tokens(client, org):
    tokens = (await client.get(f"/organisations/{org.id}/tokens", headers=org.auth("volunteer"))).json()[
        "items"
    ]
    assert {t["person_id"] for t in tokens} == {org.volunteer_id}


async def test_expired_token_is_refused(client, clock, org):
    issued = await client.post(
        f"/organisations/{org.id}/people/{org.volunteer_id}/tokens",
        headers=org.auth(),
        json={"label": "phone", "expires_at": (clock.now() + timedelta(hours=1)).isoformat()},
    )
    assert issued.status_code == 201
    secret = issued.json()["secret"]
    assert (await client.get("/me", headers={"Authorization": f"Bearer {secret}"})).status_code == 200
    clock.advance(timedelta(hours=2))
    assert (await client.get("/me", headers={"Authorization": f"Bearer {secret}"})).status_code == 401


async def test_last_used_time_is_recorded(client, conn, clock, org):
    await client.get("/me", headers=org.auth())
    used = await conn.fetchval(
        "SELECT last_used_at FROM api_tokens WHERE token_hash = $1", hash_secret(org.coordinator_token)
    )
    assert used == clock.now()


async def test_volunteer_cannot_issue_tokens_for_others(client, org):
    response = await client.post(
        f"/organisations/{org.id}/people/{org.coordinator_id}/tokens", headers=org.auth("volunteer"), json={}
    )
    assert response.status_code == 403


async def test_person_without_a_role_loses_access(client, conn, org):
    await conn.execute("DELETE FROM memberships WHERE person_id = $1", org.volunteer_id)
    assert (await client.get("/me", headers=org.auth("volunteer"))).status_code == 401
