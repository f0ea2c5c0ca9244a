"""Outreach pairs check in safely when a visit ends."""
