"""A series' roles after it is planned: a role added, or one changed (its name, its numbers, what it
needs). A role belongs to the whole series, so a change holds for every date, past and coming.

People already on a date stay there: a qualification added now is asked of those assigned from now
on. A role cannot be made smaller than a coming date already has people in it, since that would
take someone off her shift without telling her. A role is never removed here: past dates' hours
hang off it (`assignments.activity_role_id`); a role nobody needs any more gets "at least 0"."""

from __future__ import annotations

import asyncpg

from schemas.scheduling import Activity, RoleSpec
from services.access.service import Access
from services.activities import service as activities
from services.activities.queries import queries
from services.clock import Clock
from services.problems import Conflict, NotFound, refusals
from services.words import N_

REFUSALS = refusals(
    {
        "role-not-found": N_("This activity has no such role."),
        "role-fuller-than-max": N_(
            "{role}: already on {date}: {taken}. Take someone off that date first, "
            "or allow at least that many."
        ),
    }
)


def _as_spec(role) -> RoleSpec:
    return RoleSpec(role.name, role.min_people, role.max_people, list(role.qualification_type_ids))


async def add_role(
    conn: asyncpg.Connection, clock: Clock, access: Access, activity_id: int, role: RoleSpec
) -> Activity:
    """A new role for every date of the series; its places are open from now on."""
    activity = await activities.owned(conn, access, activity_id, "change activities")
    await activities.check_roles_of(conn, access, activity.kind, [*map(_as_spec, activity.roles), role])
    async with conn.transaction():
        await activities.insert_roles(conn, activity_id, [role])
    return await activities.owned(conn, access, activity_id, "change activities")


async def change_role(
    conn: asyncpg.Connection, clock: Clock, access: Access, activity_id: int, role_id: int, role: RoleSpec
) -> Activity:
    """The role as given (name, least and most people, qualifications needed), for every date."""
    activity = await activities.owned(conn, access, activity_id, "change activities")
    if role_id not in {r.id for r in activity.roles}:
        raise NotFound(f"Activity {activity_id} has no role {role_id}.", code="role-not-found")
    after = [role if r.id == role_id else _as_spec(r) for r in activity.roles]
    await activities.check_roles_of(conn, access, activity.kind, after)
    async with conn.transaction():
        await queries.lock_role(conn, id=role_id, activity_id=activity_id)
        fullest = await queries.fullest_coming_date(conn, activity_role_id=role_id, now=clock.now())
        if fullest is not None and fullest["taken"] > role.max_people:
            taken, day = fullest["taken"], fullest["local_date"].isoformat()
            raise Conflict(
                f"roles: {role.name} has {taken} people on {day}; max_people cannot be less",
                code="role-fuller-than-max",
                names={"role": role.name, "taken": str(taken), "date": day},
            )
        await queries.update_role(
            conn, id=role_id, name=role.name, min_people=role.min_people, max_people=role.max_people
        )
        await queries.clear_role_qualifications(conn, activity_role_id=role_id)
        for type_id in role.qualification_type_ids:
            await queries.add_role_qualification(
                conn, activity_role_id=role_id, qualification_type_id=type_id
            )
    return await activities.owned(conn, access, activity_id, "change activities")
