"""What the generated OpenAPI document cannot say by itself: local wall-clock times are not RFC 3339
date-times, and every operation's problem responses are RFC 9457 problem details, so that a client
generated from `/schema/openapi.json` knows both."""

from __future__ import annotations

from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIFormat, OpenAPIType

from services.errors import PROBLEM_JSON

# Fields holding a local time in the activity's zone, without an offset.
LOCAL_TIMES = {"start_local", "rdates", "exdates"}
LOCAL_TIME_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"

PROBLEMS = {
    "400": "The request is malformed (not JSON, a wrong type, too deeply nested)",
    "401": "No valid token",
    "403": "Not allowed for this person's role",
    "404": "Not found, or another organisation's",
    "409": "Conflicts with the current state (full, taken, already answered)",
    "410": "No longer valid (a revoked feed, an expired link)",
    "413": "The body is too large",
    "422": "Well-formed but not acceptable (a rule refused it)",
    "429": "Too many codes asked for; try again in an hour",
    "503": "A dependency is away; try again after Retry-After seconds",
}


def _problem_schema() -> Schema:
    text = Schema(type=OpenAPIType.STRING)
    return Schema(
        type=OpenAPIType.OBJECT,
        description="RFC 9457 problem details",
        required=["title", "status", "detail"],
        properties={
            "title": text,
            "status": Schema(type=OpenAPIType.INTEGER),
            "detail": Schema(type=OpenAPIType.STRING, description="what happened, in a person's words"),
            "type": text,
            "instance": text,
            "request_id": text,
            "errors": Schema(type=OpenAPIType.ARRAY, items=Reference(ref="#/components/schemas/FieldError")),
        },
    )


def _statuses(path: str, method: str, signed_in: bool) -> list[str]:
    statuses = ["400", "503"]
    if signed_in:
        statuses += ["401"]
    if path.startswith("/organisations/"):
        statuses += ["401", "403", "404", "422"]
    if path.startswith("/feeds/"):
        statuses += ["404", "410"]
    if path.startswith(("/s/", "/b/")):
        statuses += ["404", "410"]
    if path.startswith("/webhooks/"):
        statuses += ["403", "422"]
    if path == "/metrics":  # only with the operators' bearer; without the setting, not there
        statuses += ["401", "404"]
    if path.endswith("/people/{person_id}") and method == "patch":  # her own new number texts a code
        statuses += ["429"]
    if method in ("post", "put", "patch", "delete"):
        statuses += ["409", "413"]
    return sorted(set(statuses))


def _local(schema: Schema | Reference | None) -> None:
    if not isinstance(schema, Schema):
        return
    if schema.format == OpenAPIFormat.DATE_TIME:
        schema.format = None
        schema.pattern = LOCAL_TIME_PATTERN
    for inner in [schema.items, *(schema.one_of or []), *(schema.any_of or [])]:
        _local(inner)


def complete(document: OpenAPI) -> OpenAPI:
    schemas = document.components.schemas if document.components else {}
    for schema in (schemas or {}).values():
        for name, field in (schema.properties or {}).items():
            if name in LOCAL_TIMES:
                _local(field)
    schemas["Problem"] = _problem_schema()
    problem = {PROBLEM_JSON: OpenAPIMediaType(schema=Reference(ref="#/components/schemas/Problem"))}
    for path, item in (document.paths or {}).items():
        for method in ("get", "put", "post", "delete", "patch", "head"):
            operation = getattr(item, method, None)
            if operation is None:
                continue
            for status in _statuses(path, method, bool(operation.security)):
                operation.responses[status] = OpenAPIResponse(description=PROBLEMS[status], content=problem)
    # Prometheus' exposition format, not JSON.
    metrics = document.paths["/metrics"].get.responses["200"]
    metrics.content = {"text/plain": OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))}
    return document
