"""Two organisations sharing one phone number: its holder volunteers in both and coordinates in
one (Malmö), with her number proven there; in Oslo her number is only what its coordinator typed.
And in Oslo a volunteer who holds nothing but the personal link texted to her: the attacker of
the audit that found a page link could become another organisation's coordinator."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from services.people import page_link
from services.people import service as people
from tests.support.factories import Org, add_member, fictional_phone, make_org


@dataclass
class SharedPhone:
    phone: str
    malmo: Org
    oslo: Org
    in_malmo: int  # volunteer and coordinator in Malmö, number proven
    in_oslo: int  # volunteer in Oslo, the same number as Oslo's coordinator typed it
    attacker: int  # a volunteer of Oslo
    attacker_link: str  # her personal page link: all she holds

    def as_attacker(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.attacker_link}"}


@pytest.fixture
async def shared_phone(conn, clock) -> SharedPhone:
    malmo = await make_org(conn, clock, "malmo-test")
    oslo = await make_org(conn, clock, "oslo-test", country="NO")
    phone = fictional_phone()
    in_malmo = await people.insert_member(
        conn,
        clock,
        malmo.id,
        roles=["volunteer", "coordinator"],
        display_name="Sara Delad",
        phone=phone,
        language="sv",
        time_zone="Europe/Stockholm",
        sms_consent=True,
    )
    await conn.execute("UPDATE people SET phone_proven_at = $2 WHERE id = $1", in_malmo, clock.now())
    in_oslo = await add_member(conn, clock, oslo, "Sara Delad", phone=phone)
    attacker = await add_member(conn, clock, oslo, "Mallory Prov", phone=fictional_phone())
    _token_id, link = await page_link.issue(conn, clock, oslo.id, attacker)
    return SharedPhone(phone, malmo, oslo, in_malmo, in_oslo, attacker, link)
