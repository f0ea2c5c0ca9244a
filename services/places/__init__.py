"""Named places of an organisation; a protected place's address never leaves its coordinators."""
