"""The channels notices travel by, in the order tried when the one a person chose cannot reach her.
Adding a channel: a migration (its name in the outbox's and people's channel checks), a
services/<channel>/ package with its `Channel`, its settings in services/config.py, and one line
here (docs/contributing.md walks through it)."""

from __future__ import annotations

from services.channel import Channel
from services.sms.channel import SMS

CHANNELS: dict[str, Channel] = {channel.name: channel for channel in (SMS,)}
