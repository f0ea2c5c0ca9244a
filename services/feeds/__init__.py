"""iCalendar feeds: personal, organisation, open shifts and venue, behind secret subscription URLs."""
