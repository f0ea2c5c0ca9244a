"""The token API: who a token acts for (/me), a person's tokens issued, listed and revoked. The
rules are in service.py; a token never makes a wider one."""

from __future__ import annotations

from litestar import Controller, delete, get, post
from litestar.params import JSONBody

from schemas.access import Me, Token, TokenCreate, TokenIssued
from schemas.common import Page
from services.access import service
from services.http import PAGE_LINK_OK, Api, Conn, PageAsked, PathId, Routes, TokenAccess


class MeController(Controller):
    tags = ["access"]
    path = "/"

    @get("/me", summary="Who this token acts for", security=[{"token": []}], opt=PAGE_LINK_OK)
    async def me(self, conn: Conn, token_access: TokenAccess) -> Me:
        return await service.who_am_i(conn, token_access)


class TokenController(Controller):
    path = "/tokens"
    tags = ["access"]

    @get("/", summary="API tokens: all of the organisation's for coordinators, else your own")
    async def list_tokens(self, api: Api, page: PageAsked) -> Page[Token]:
        return page.page(await service.list_tokens(api.conn, api.access, page))

    @delete("/{token_id:int}", status_code=200, summary="Revoke a token (yours, or any as coordinator)")
    async def revoke(self, api: Api, token_id: PathId) -> Token:
        return await service.revoke_token(api.conn, api.clock, api.access, token_id)


class PersonTokenController(Controller):
    tags = ["access"]
    path = "/"

    @post("/people/{person_id:int}/tokens", summary="Issue a token for a person (secret shown once)")
    async def issue_token(self, api: Api, person_id: PathId, data: JSONBody[TokenCreate]) -> TokenIssued:
        api.access.require_api_scope("issue tokens")  # never a wider token than the one asking
        if person_id != api.access.person_id:
            api.access.require_coordinator("issue tokens for other people")
        await service.require_person_in_view(api.conn, api.access, person_id)
        token, secret = await service.issue_token(
            api.conn,
            api.clock,
            organisation_id=api.access.organisation_id,
            person_id=person_id,
            label=data.label,
            created_by=api.access.person_id,
            expires_at=data.expires_at,
        )
        return TokenIssued(token=token, secret=secret)


ROUTES = Routes(organisation=(TokenController, PersonTokenController), top=(MeController,))
