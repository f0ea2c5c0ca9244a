"""What each kind of activity is called in the words a person reads: one home for the pages, the
report and its CSV."""

from __future__ import annotations

from services.words import N_, translate

KIND_NAMES = {
    "food_pickup": N_("Food pickup"),
    "venue_loan": N_("Room loan"),
    "outing": N_("Outing"),
    "outreach_visit": N_("Outreach visit"),
    "group_meeting": N_("Group meeting"),
    "other": N_("Other"),
}

# The kinds that take participants beside the volunteers (a pickup or an outreach visit does not):
# only these ask "participants at most".
WITH_PARTICIPANTS = frozenset({"group_meeting", "outing", "venue_loan", "other"})


def kind_name(kind: str, language: str) -> str:
    return translate(language, KIND_NAMES[kind])
