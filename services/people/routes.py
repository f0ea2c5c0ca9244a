from __future__ import annotations

from litestar import Controller, Request, delete, get, patch, post
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
from services.http import PAGE_LINK_OK, ClockDep, Conn, OrgAccess, PageAsked, PathId, PublicBase, Routes
from services.people import importing, service


class PeopleController(Controller):
    path = "/people"
    tags = ["people"]

    @get("/", summary="People of the organisation (coordinators)")
    async def list_people(self, conn: Conn, access: OrgAccess, page: PageAsked) -> Page[Person]:
        return await service.list_people(conn, access, page)

    @post("/", summary="Add a person with their roles (coordinators)")
    async def create_person(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        data: JSONBody[PersonCreate],
        public_base: PublicBase,
    ) -> Person:
        """A volunteer or partner contact who can be texted gets the link to her own page by SMS."""
        return await service.create_person(conn, clock, access, data, public_base)

    @post(
        "/{person_id:int}/page-link",
        summary="Text a person a fresh link to their own page (coordinators, or the person)",
        status_code=202,
    )
    async def send_page_link(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        person_id: PathId,
        public_base: PublicBase,
    ) -> PageLinkSent:
        return PageLinkSent(sent=await service.send_page_link(conn, clock, access, person_id, public_base))

    @delete(
        "/{person_id:int}/page-link",
        summary="Switch off every page link of a person (coordinators, or the person)",
        status_code=204,
    )
    async def revoke_page_links(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, person_id: PathId
    ) -> None:
        await service.revoke_page_links(conn, clock, access, person_id)

    @get("/{person_id:int}", summary="A person (coordinators, or the person themself)", opt=PAGE_LINK_OK)
    async def get_person(self, conn: Conn, access: OrgAccess, person_id: PathId) -> Person:
        return await service.get_person(conn, access, person_id)

    @patch(
        "/{person_id:int}", summary="Change a person (coordinators, or the person themself)", opt=PAGE_LINK_OK
    )
    async def update_person(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, person_id: PathId, data: JSONBody[PersonUpdate]
    ) -> Person:
        return await service.update_person(conn, clock, access, person_id, data)

    @post(
        "/{person_id:int}/phone-proof",
        status_code=200,
        summary="Send back the code texted to your new number: then it is your number (yourself only)",
        opt=PAGE_LINK_OK,
    )
    async def prove_phone(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, person_id: PathId, data: JSONBody[PhoneCode]
    ) -> Person:
        return await service.prove_phone(conn, clock, access, person_id, data.code)

    @post("/{person_id:int}/roles", status_code=200, summary="Give a person a role (coordinators)")
    async def add_role(
        self, conn: Conn, clock: ClockDep, access: OrgAccess, person_id: PathId, data: JSONBody[RoleChange]
    ) -> Person:
        return await service.add_role(conn, clock, access, person_id, data.role)

    @delete("/{person_id:int}/roles/{role:str}", summary="Take a role away (coordinators)")
    async def remove_role(
        self, conn: Conn, access: OrgAccess, person_id: PathId, role: FromPath[Role]
    ) -> None:
        await service.remove_role(conn, access, person_id, role)

    @post(
        "/import",
        status_code=200,
        summary="Import volunteers from a CSV spreadsheet export (coordinators)",
        description=importing.__doc__,
    )
    async def import_people(
        self,
        request: Request,
        conn: Conn,
        clock: ClockDep,
        access: OrgAccess,
        public_base: PublicBase,
        skip_invalid: FromQuery[bool] = False,
    ) -> ImportReport:
        return await importing.import_for(
            conn, clock, access, await request.body(), skip_invalid=skip_invalid, public_base=public_base
        )


ROUTES = Routes(organisation=(PeopleController,))
