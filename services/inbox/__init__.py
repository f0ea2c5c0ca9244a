"""Answers that arrive by SMS: read, understood, and handed to the context that owns the question."""
