"""Problem details (RFC 9457) for whatever refused a request: a rule, a malformed request, a
constraint, a dependency away, or something unexpected (logged, with its request id)."""

from __future__ import annotations

import asyncpg
import msgspec
from litestar import Request, Response
from litestar.exceptions import HTTPException, ValidationException
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from schemas.common import FieldError, Problem
from services.logging import get_logger
from services.problems import ProblemError

log = get_logger("volops.http")
PROBLEM_JSON = "application/problem+json"


# --- problems -------------------------------------------------------------------------------


def problem(
    request: Request,
    status: int,
    title: str,
    detail: str,
    *,
    type_: str = "about:blank",
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> Response[Problem]:
    body = Problem(
        title=title,
        status=status,
        detail=detail,
        type=type_,
        instance=request.url.path,
        request_id=request.scope.get("state", {}).get("request_id"),
        errors=errors or None,
    )
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers)


def on_problem(request: Request, exc: ProblemError) -> Response[Problem]:
    headers = {"WWW-Authenticate": 'Bearer realm="volops"'} if exc.status == 401 else None
    return problem(
        request, exc.status, exc.title, exc.detail, type_=exc.type, errors=exc.errors, headers=headers
    )


_HTTP_TITLES = {
    400: "Bad request",
    401: "Not signed in",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    413: "Too large",
    415: "Unsupported media type",
    429: "Too many requests",
}


def _friendly(message: str) -> str:
    """msgspec says "Expected `int`, got `str`"; a person reads "expected a whole number, got text"."""
    words = {
        "`int`": "a whole number",
        "`str`": "text",
        "`bool`": "true or false",
        "`float`": "a number",
        "`object`": "an object",
        "`array`": "a list",
        "`null`": "null",
        "`datetime`": "a date and time",
        "`date`": "a date",
    }
    for raw, plain in words.items():
        message = message.replace(raw, plain)
    return message[:1].lower() + message[1:]


def _is_bad_json(exc: BaseException | None) -> bool:
    # msgspec.ValidationError subclasses DecodeError: only a pure DecodeError means broken JSON.
    while exc is not None:
        if isinstance(exc, msgspec.DecodeError) and not isinstance(exc, msgspec.ValidationError):
            return True
        exc = exc.__cause__
    return False


def _only_path_ids(exc: HTTPException) -> bool:
    extra = exc.extra if isinstance(exc.extra, list) else []
    return bool(extra) and all(isinstance(i, dict) and i.get("source") == "path" for i in extra)


def on_http_error(request: Request, exc: HTTPException) -> Response[Problem]:
    status = exc.status_code
    if status >= 500:
        return on_unexpected(request, exc)
    title = _HTTP_TITLES.get(status, "Request not accepted" if status < 500 else "Server error")
    errors: list[FieldError] = []
    if isinstance(exc, ValidationException) and isinstance(exc.extra, list):
        for item in exc.extra:
            if isinstance(item, dict):
                field = str(item.get("key") or item.get("source") or "body")
                message = str(item.get("message", ""))
                if field == "data" and message == "'data'":  # Litestar's words for "no body at all"
                    field, message = "body", "a JSON body is required"
                errors.append(FieldError(field=field, message=_friendly(message)))
    if errors and _only_path_ids(exc):
        # A path id no row can have (beyond bigint, zero): nothing can be there.
        status, title, errors = 404, _HTTP_TITLES[404], []
        detail = "Nothing is here."
    elif errors:
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
    elif status == 404:
        detail = "Nothing is here."
    elif status == 405:
        detail = f"{request.method} is not possible here."
    elif status == 413:
        detail = "The request body is too large."
    else:
        detail = _friendly(exc.detail) if exc.detail else title
    if _is_bad_json(exc):
        detail = "The body is not valid JSON."
    return problem(request, status, title, detail, errors=errors, headers=exc.headers)


def on_integrity_error(request: Request, exc: asyncpg.IntegrityConstraintViolationError) -> Response[Problem]:
    # A rule the database enforced that the code did not check first (usually a race). The
    # constraint's name says which rule, without echoing the row's values.
    constraint = getattr(exc, "constraint_name", None) or "a rule"
    log.warning("integrity_violation", constraint=constraint, sqlstate=exc.sqlstate)
    return problem(
        request,
        409,
        "Conflict",
        f"The change conflicts with existing data ({constraint}); nothing was saved.",
    )


# A dependency that is away or too slow (PostgreSQL stopped or frozen, Redis gone): the request
# changed nothing, and the client may simply try again.
UNAVAILABLE = (
    OSError,  # refused connections, and TimeoutError (acquire, statement and Redis timeouts)
    asyncpg.PostgresConnectionError,
    asyncpg.InterfaceError,
    asyncpg.CannotConnectNowError,
    asyncpg.AdminShutdownError,
    asyncpg.QueryCanceledError,
    RedisConnectionError,
    RedisTimeoutError,
)
RETRY_AFTER_SECONDS = 5


def on_unavailable(request: Request, exc: Exception) -> Response[Problem]:
    log.warning("dependency_unavailable", path=request.url.path, error=type(exc).__name__)
    return problem(
        request,
        503,
        "Service unavailable",
        f"The service cannot reach its database just now; nothing was changed. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def on_data_error(request: Request, exc: asyncpg.DataError) -> Response[Problem]:
    # The last net for a value the contracts let through that PostgreSQL cannot take (a number out
    # of range, a character it cannot store); the contracts should have refused it first.
    log.warning("data_error", path=request.url.path, sqlstate=exc.sqlstate)
    return problem(
        request,
        422,
        "Cannot be accepted",
        "A value in the request is out of range or contains a character that cannot be stored.",
    )


def on_unexpected(request: Request, exc: Exception) -> Response[Problem]:
    log.error("unhandled_error", path=request.url.path, exc_info=exc)
    return problem(
        request,
        500,
        "Server error",
        "Something went wrong on our side; nothing was changed. Quote the request id.",
    )
