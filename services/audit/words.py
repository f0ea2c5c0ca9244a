"""The trail in people's words: what was changed, how, through what, and the common fields and
states, instead of table and column names. Anything not named here is shown as stored."""

from __future__ import annotations

from services.words import N_

TABLES = {
    "activities": N_("Activity"),
    "activity_roles": N_("Role of an activity"),
    "activity_shares": N_("Activity shared with a partner"),
    "api_tokens": N_("Key for the API"),
    "assignments": N_("Shift"),
    "audit_log": N_("The trail itself"),
    "availability": N_("Weekly availability"),
    "blackouts": N_("Time away"),
    "booking_requests": N_("Room request"),
    "bookings": N_("Room booking"),
    "cover_requests": N_("Cover request"),
    "feed_subscriptions": N_("Calendar link"),
    "memberships": N_("Membership"),
    "occurrences": N_("Date"),
    "on_duty": N_("On duty"),
    "organisations": N_("Organisation"),
    "partnerships": N_("Partnership"),
    "people": N_("Person"),
    "person_qualifications": N_("Qualification held"),
    "places": N_("Place"),
    "qualification_types": N_("Qualification"),
    "report_links": N_("Report link"),
    "swap_offers": N_("Shift offered to others"),
    "venue_contacts": N_("Room contact"),
    "venues": N_("Room"),
}
ACTIONS = {
    "insert": N_("added"),
    "update": N_("changed"),
    "delete": N_("removed"),
    "read": N_("protected address shown"),
    "export": N_("data exported"),
    "erase": N_("erased"),
}
VIA = {
    "api": N_("through the API"),
    "page": N_("on a page"),
    "sms": N_("by SMS"),
    "link": N_("from a link"),
    "job": N_("by the service itself"),
    "cli": N_("from the command line"),
}
FIELDS = {
    "display_name": N_("Name"),
    "phone": N_("Phone"),
    "language": N_("Language"),
    "sms_consent": N_("Wants SMS from us"),
    "status": N_("State"),
    "title": N_("Title"),
    "name": N_("Name"),
    "starts_at": N_("Starts"),
    "ends_at": N_("Ends"),
    "attendance": N_("Attendance"),
    "late": N_("After the cut-off"),
    "min_people": N_("At least"),
    "max_people": N_("At most"),
    "place_id": N_("Place"),
    "role": N_("Role"),
    "ended_at": N_("Left at"),
    "seen_at": N_("Seen at"),
    "max_hours_per_month": N_("At most hours a month"),
}
VALUES = {
    "active": N_("on it"),
    "withdrawn": N_("left"),
    "removed": N_("taken off"),
    "scheduled": N_("takes place"),
    "cancelled": N_("cancelled"),
    "attended": N_("came"),
    "no_show": N_("did not come"),
    "open": N_("open"),
    "filled": N_("filled"),
    "expired": N_("expired"),
    "volunteer": N_("volunteer"),
    "coordinator": N_("coordinator"),
}
