"""What every channel that carries notices is (SMS today, email next): how it reaches a person, how
big a message is on it, and the jobs that send its outbox rows. The channels in use are listed once,
in services/notices/registry.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import msgspec


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """A person as a notice to her needs her: where each channel reaches her, in which language and
    zone, what she agreed to and how she would rather be told."""

    id: int
    language: str
    time_zone: str
    phone: str | None
    sms_consent: bool
    sms_opted_out: bool
    notice_channel: str


async def _nothing(ctx: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class Channel:
    name: str  # as in outbox.channel and people.notice_channel
    # Where this channel reaches her, or None when it cannot (no number, no consent, opted out).
    address: Callable[[Recipient], str | None]
    # What the carrier bills a message in (SMS segments); None where nothing is counted.
    size: Callable[[str], int | None]
    # The worker's functions and cron jobs that send this channel's outbox rows.
    jobs: tuple[Callable[..., Awaitable[Any]], ...] = ()
    cron_jobs: tuple[Any, ...] = ()
    # A worker's start and stop: the carrier's client in ctx, and closing it.
    start: Callable[[dict[str, Any]], Awaitable[None]] = _nothing
    stop: Callable[[dict[str, Any]], Awaitable[None]] = _nothing
