"""When a person can usually help (weekly pattern) and when they cannot (blackouts)."""
