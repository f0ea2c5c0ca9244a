"""What the activity page's own small forms show: each role as it stands (or as typed when it was
refused), one to add a role, what each role needs, and a pickup's details."""

from __future__ import annotations

from schemas.scheduling import Activity, FoodPickup
from services.qualifications import service as qualifications


async def role_needs(conn, access, activity) -> dict[int, str]:
    """What each role needs, by the qualifications' names."""
    named = {t.id: t.name for t in await qualifications.list_types(conn, access)}
    return {r.id: ", ".join(named[q] for q in r.qualification_type_ids if q in named) for r in activity.roles}


ROLE_FIELDS = ("name", "min_people", "max_people")


def role_forms(activity: Activity, typed: dict | None = None) -> list[dict]:
    """A form for each role as it stands, the one refused as it was typed, and one to add a role."""
    forms = [
        {
            "key": str(r.id),
            "name": r.name,
            "min_people": r.min_people,
            "max_people": r.max_people,
            "qualification_type_ids": [str(q) for q in r.qualification_type_ids],
            "problem": None,
        }
        for r in activity.roles
    ] + [
        {
            "key": "new",
            "name": "",
            "min_people": 1,
            "max_people": 1,
            "qualification_type_ids": [],
            "problem": None,
        }
    ]
    return [typed if typed and typed["key"] == f["key"] else f for f in forms]


def typed_role(key: str, form) -> dict:
    return (
        {"key": key}
        | {f: form.get(f, "") for f in ROLE_FIELDS}
        | {"qualification_type_ids": [v for v in form.getall("qualification_type_ids", []) if v]}
    )


def pickup_form(activity: Activity) -> dict:
    pickup = activity.food_pickup or FoodPickup()
    shown = {
        f: "" if getattr(pickup, f) is None else getattr(pickup, f) for f in FoodPickup.__struct_fields__
    }
    return shown | {"problem": None}
