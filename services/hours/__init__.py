"""The hours ledger: attended time, reported per organisation, month and kind of activity."""
