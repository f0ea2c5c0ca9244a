"""Signing in to the board with a one-time code by SMS."""
