"""A partner congregation's pages, opened from a signed link in an SMS: no account."""
