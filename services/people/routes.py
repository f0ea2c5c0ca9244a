from __future__ import annotations

from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody

from schemas.common import Page, Role
from schemas.people import (
    ImportReport,
    PageLinkSent,
    Person,
    PersonCreate,
    PersonUpdate,
    PhoneCode,
    RoleChange,
)
from services.http import PAGE_LINK_OK, Api, PageAsked, PathId, Routes
from services.people import importing, service


class PeopleController(Controller):
    path = "/people"
    tags = ["people"]

    @get("/", summary="People of the organisation (coordinators)")
    async def list_people(self, api: Api, page: PageAsked) -> Page[Person]:
        return await service.list_people(api.conn, api.access, page)

    @post("/", summary="Add a person with their roles (coordinators)")
    async def create_person(self, api: Api, data: JSONBody[PersonCreate]) -> Person:
        """A volunteer or partner contact who can be texted gets the link to her own page by SMS."""
        return await service.create_person(api.conn, api.clock, api.access, data, api.public_base)

    @post(
        "/{person_id:int}/page-link",
        summary="Text a person a fresh link to their own page (coordinators, or the person)",
        status_code=202,
    )
    async def send_page_link(self, api: Api, person_id: PathId) -> PageLinkSent:
        return PageLinkSent(
            sent=await service.send_page_link(api.conn, api.clock, api.access, person_id, api.public_base)
        )

    @delete(
        "/{person_id:int}/page-link",
        summary="Switch off every page link of a person (coordinators, or the person)",
        status_code=204,
    )
    async def revoke_page_links(self, api: Api, person_id: PathId) -> None:
        await service.revoke_page_links(api.conn, api.clock, api.access, person_id)

    @get("/{person_id:int}", summary="A person (coordinators, or the person themself)", opt=PAGE_LINK_OK)
    async def get_person(self, api: Api, person_id: PathId) -> Person:
        return await service.get_person(api.conn, api.access, person_id)

    @patch(
        "/{person_id:int}", summary="Change a person (coordinators, or the person themself)", opt=PAGE_LINK_OK
    )
    async def update_person(self, api: Api, person_id: PathId, data: JSONBody[PersonUpdate]) -> Person:
        return await service.update_person(api.conn, api.clock, api.access, person_id, data)

    @post(
        "/{person_id:int}/phone-proof",
        status_code=200,
        summary="Send back the code texted to your new number: then it is your number (yourself only)",
        opt=PAGE_LINK_OK,
    )
    async def prove_phone(self, api: Api, person_id: PathId, data: JSONBody[PhoneCode]) -> Person:
        return await service.prove_phone(api.conn, api.clock, api.access, person_id, data.code)

    @post("/{person_id:int}/roles", status_code=200, summary="Give a person a role (coordinators)")
    async def add_role(self, api: Api, person_id: PathId, data: JSONBody[RoleChange]) -> Person:
        return await service.add_role(api.conn, api.clock, api.access, person_id, data.role)

    @delete("/{person_id:int}/roles/{role:str}", summary="Take a role away (coordinators)")
    async def remove_role(self, api: Api, person_id: PathId, role: FromPath[Role]) -> None:
        await service.remove_role(api.conn, api.access, person_id, role)

    @post(
        "/import",
        status_code=200,
        summary="Import volunteers from a CSV spreadsheet export (coordinators)",
        description=importing.__doc__,
    )
    async def import_people(self, api: Api, skip_invalid: FromQuery[bool] = False) -> ImportReport:
        return await importing.import_for(
            api.conn,
            api.clock,
            api.access,
            await api.request.body(),
            skip_invalid=skip_invalid,
            public_base=api.public_base,
        )


ROUTES = Routes(organisation=(PeopleController,))
