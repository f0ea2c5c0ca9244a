from __future__ import annotations

import asyncpg
from litestar import get, patch

from schemas.organisations import Organisation, OrganisationUpdate
from services.access.service import Access
from services.organisations import service


@get("/", tags=["organisations"], summary="The organisation")
async def get_organisation(conn: asyncpg.Connection, access: Access, org_id: int) -> Organisation:
    return await service.get(conn, access, org_id)


@patch("/", tags=["organisations"], summary="Change name, default language or time zone (coordinators)")
async def update_organisation(
    conn: asyncpg.Connection, access: Access, org_id: int, data: OrganisationUpdate
) -> Organisation:
    return await service.update(conn, access, org_id, data)
