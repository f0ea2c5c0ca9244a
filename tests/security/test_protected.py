"""Rule 6: protected means protected everywhere. A protected room's address reaches its own
organisation's coordinators and the keepers who answer for it, nobody else: not the borrowing
organisation's coordinators or volunteers, not another contact of the congregation."""

import pytest

from services.access import service as access
from tests.bookings.test_bookings import room
from tests.support.factories import add_member, make_partner

pytestmark = pytest.mark.now("2026-03-02T10:00")


async def test_a_protected_rooms_address_only_for_its_coordinators_and_keepers(client, conn, clock, org):
    parish = await make_partner(conn, clock)
    venue = await room(client, parish, org.id, protected=True)
    other_contact = await conn.fetchval(
        "INSERT INTO people (display_name, language, time_zone) VALUES ('Kyrkvärd', 'sv', 'Europe/Stockholm') RETURNING id"
    )
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'partner_contact')",
        parish.id,
        other_contact,
    )
    vicar = await add_member(conn, clock, org, "Kyrkoherde")  # a person first, made the parish's coordinator
    await conn.execute(
        "INSERT INTO memberships (organisation_id, person_id, role) VALUES ($1, $2, 'coordinator')",
        parish.id,
        vicar,
    )
    readers = {
        "the keeper": (parish.id, parish.contact_id, True),
        "the parish's coordinator": (parish.id, vicar, True),
        "another contact of the parish": (parish.id, other_contact, False),
        "the borrower's coordinator": (org.id, org.coordinator_id, False),
        "the borrower's volunteer": (org.id, org.volunteer_id, False),
    }
    for who, (organisation_id, person_id, sees) in readers.items():
        _row, token = await access.issue_token(
            conn, clock, organisation_id=organisation_id, person_id=person_id
        )
        listed = await client.get(
            f"/organisations/{organisation_id}/venues", headers={"Authorization": f"Bearer {token}"}
        )
        assert listed.status_code == 200, (who, listed.text)
        (seen,) = [v for v in listed.json() if v["id"] == venue["id"]]
        assert ("Kyrkovägen 3" in seen["address"]) is sees, who
        assert "Kyrkovägen" not in listed.text or sees, who
