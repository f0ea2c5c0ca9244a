"""Structured JSON logs with a request id, and phone numbers masked wherever they appear."""

from __future__ import annotations

import logging
import re
import sys
from typing import Any

import structlog

# International numbers, Scandinavian local numbers (070-174 06 05) and Czech ones (777 123 456).
_PHONE = re.compile(
    r"\+\d[\d \-]{5,18}\d"
    r"|\b0\d{1,3}[ \-]?\d{2,3}[ \-]?\d{2}[ \-]?\d{2}\b"
    r"|\b\d{3} \d{3} \d{3}\b"
)
_PHONE_KEYS = {"phone", "to", "from", "from_", "phone_number"}


def mask_phone(text: str) -> str:
    """'+46701740605' -> '+46*******05': enough to tell numbers apart, not to dial one."""

    def _mask(match: re.Match[str]) -> str:
        raw = match.group(0)
        digits = [c for c in raw if c.isdigit()]
        keep_head = 2 if raw.startswith("+") else 0
        head = ("+" if raw.startswith("+") else "") + "".join(digits[:keep_head])
        return head + "*" * max(len(digits) - keep_head - 2, 1) + "".join(digits[-2:])

    return _PHONE.sub(_mask, text)


def _mask_value(key: str, value: Any) -> Any:
    if isinstance(value, str):
        if key in _PHONE_KEYS and value:
            return mask_phone(value) if _PHONE.search(value) else "***"
        return mask_phone(value)
    if isinstance(value, dict):
        return {k: _mask_value(str(k), v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_mask_value(key, v) for v in value]
    return value


def mask_phones(_logger: Any, _method: str, event: dict[str, Any]) -> dict[str, Any]:
    return {key: _mask_value(key, value) for key, value in event.items()}


class _CurrentStderr:
    """Whatever sys.stderr is at the moment of writing (test runners swap it)."""

    def write(self, text: str) -> int:
        return sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def configure_logging(level: str = "INFO", stream: Any = None) -> None:
    stream = stream or _CurrentStderr()
    processors = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
        mask_phones,
        structlog.processors.JSONRenderer(),
    ]
    structlog.configure(
        processors=processors,
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level)),
        logger_factory=structlog.PrintLoggerFactory(stream),
        cache_logger_on_first_use=False,
    )
    # Libraries that log through the standard module (uvicorn, arq, asyncpg) go through the same
    # masking, as JSON lines, so nothing prints a raw number.
    handler = logging.StreamHandler(stream)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                mask_phones,
                structlog.processors.JSONRenderer(),
            ],
            foreign_pre_chain=[
                structlog.processors.add_log_level,
                structlog.processors.TimeStamper(fmt="iso", utc=True),
                structlog.stdlib.add_logger_name,
                structlog.processors.format_exc_info,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = True  # our middleware logs each request


def get_logger(name: str | None = None) -> Any:
    return structlog.get_logger(name)
