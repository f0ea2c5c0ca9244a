"""What every channel that carries notices is (SMS today, email next): how it reaches a person, how
big a message is on it, and the jobs that send its outbox rows. The channels in use are listed once,
in services/notices/registry.py."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import asyncpg
import msgspec


class Recipient(msgspec.Struct, frozen=True, kw_only=True):
    """A person as a notice to her needs her: in which language and zone, how she would rather be
    told, and where each channel reaches her (each channel says so: `Channel.addresses`)."""

    id: int
    language: str
    time_zone: str
    notice_channel: str
    reach: dict[str, str] = {}  # channel name → her address on it, for the channels that reach her


async def _nothing(ctx: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class Channel:
    name: str  # as in outbox.channel and people.notice_channel
    # Where this channel reaches each of these people, read from its own columns: those it cannot
    # reach (no number, no consent, opted out) are left out.
    addresses: Callable[[asyncpg.Connection, list[int]], Awaitable[dict[int, str]]]
    # What the carrier bills a message in (SMS segments); None where nothing is counted.
    size: Callable[[str], int | None]
    # The worker's functions and cron jobs that send this channel's outbox rows.
    jobs: tuple[Callable[..., Awaitable[Any]], ...] = ()
    cron_jobs: tuple[Any, ...] = ()
    # A worker's start and stop: the carrier's client in ctx, and closing it.
    start: Callable[[dict[str, Any]], Awaitable[None]] = _nothing
    stop: Callable[[dict[str, Any]], Awaitable[None]] = _nothing
