"""People and their roles (memberships) in an organisation; volunteer import from spreadsheets."""
