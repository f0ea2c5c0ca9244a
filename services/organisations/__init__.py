"""Organisations sharing the deployment: support organisations, municipal teams, congregations."""
