"""A volunteer's pages, opened from a signed link in an SMS: no account, no password."""
