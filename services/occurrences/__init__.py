"""Occurrences: each date of a series as a row, materialised to a rolling horizon, edited alone or
with the series, with staffing state per role."""
