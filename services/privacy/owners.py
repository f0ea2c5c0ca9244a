"""Every context that holds something about a person, in the order erasure walks them: the
people context pseudonymises her row near the end, and the audit trail is scrubbed of her name
last (so the erasure's own rows are scrubbed too). A context with a new table of people's data
adds its holding in its own privacy.py; a new context adds one line here."""

from __future__ import annotations

from services.access import privacy as access
from services.assignments import privacy as assignments
from services.audit import privacy as audit
from services.availability import privacy as availability
from services.bookings import privacy as bookings
from services.checkins import privacy as checkins
from services.feeds import privacy as feeds
from services.holdings import Holding
from services.hours import privacy as hours
from services.inbox import privacy as inbox
from services.notices import privacy as notices
from services.people import privacy as people
from services.qualifications import privacy as qualifications
from services.rota import privacy as rota
from services.signin import privacy as signin

OWNERS = (
    qualifications,
    availability,
    assignments,
    checkins,
    notices,
    inbox,
    feeds,
    access,
    signin,
    hours,
    rota,
    bookings,
    people,
    audit,
)
HOLDINGS: tuple[Holding, ...] = tuple(holding for owner in OWNERS for holding in owner.HOLDINGS)


def tables() -> set[str]:
    """Every table some context declares it holds people's data in."""
    return {table for holding in HOLDINGS for table in holding.tables}
