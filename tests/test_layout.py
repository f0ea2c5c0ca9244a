"""The code keeps its shape: imports point down the layers, contexts do not import each other in a
circle, and no function outgrows a screen. Read from the source, so a newcomer's first import the
wrong way fails here with the rule it breaks."""

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ROOT / "services"
# Lowest first. A module may import its own layer and the layers below it, never one above.
LAYERS = (
    # shared pieces every context uses
    {
        "clock",
        "config",
        "connections",
        "logging",
        "problems",
        "timezones",
        "pagination",
        "db",
        "words",
        "access",
        "audit",
        "http",
        "errors",
        "middleware",
        "spreadsheet",
        "channel",
        "holdings",
    },
    # the channels notices travel by: they never import the contexts that use them
    {"sms"},
    # what a person is told, when and on which channel
    {"notices"},
    # the domain contexts
    {
        "organisations",
        "people",
        "tokens",
        "qualifications",
        "places",
        "availability",
        "activities",
        "occurrences",
        "assignments",
        "rota",
        "bookings",
        "feeds",
        "hours",
        "system",
        "signin",
        "checkins",
        "partnerships",
    },
    # what faces people: SMS answers coming in, the pages; and privacy, which walks every
    # context's holdings (the inbox's too)
    {"inbox", "privacy", "pages", "board", "my", "partner"},
    # putting it together
    {"app", "openapi", "cli"},
)
LONGEST_FUNCTION = 60  # lines; a screen


def context_of(path: Path) -> str:
    return path.relative_to(SERVICES).parts[0].removesuffix(".py")


def imports() -> dict[str, set[str]]:
    """Each context (a folder or a module under services/) and the contexts and packages it imports."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in SERVICES.rglob("*.py"):
        here = context_of(path)
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = (
                    [node.module] if node.module != "services" else [f"services.{a.name}" for a in node.names]
                )
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "services" and len(parts) > 1 and parts[1] != here:
                    found[here].add(parts[1])
                elif parts[0] in ("workers", "infra", "tests", "bench"):
                    found[here].add(parts[0])
    return found


def layer_of(context: str) -> int:
    for number, layer in enumerate(LAYERS):
        if context in layer:
            return number
    raise AssertionError(f"services/{context} is in no layer: add it to LAYERS in {Path(__file__).name}")


def test_every_context_has_a_layer():
    for path in SERVICES.iterdir():
        if path.name != "__init__.py" and (path.suffix == ".py" or (path / "__init__.py").exists()):
            layer_of(context_of(path))


def test_imports_point_down():
    wrong = []
    for context, imported in imports().items():
        for other in imported:
            if other in ("workers", "infra", "tests", "bench"):
                if layer_of(context) < len(LAYERS) - 1:
                    wrong.append(f"services/{context} imports {other}/ (only app and cli may)")
            elif layer_of(other) > layer_of(context):
                wrong.append(
                    f"services/{context} (layer {layer_of(context)}) imports services/{other} "
                    f"(layer {layer_of(other)})"
                )
    assert not wrong, "\n".join(sorted(wrong))


def path_between(graph: dict[str, set[str]], start: str, goal: str) -> list[str] | None:
    """The imports that lead from start to goal, if any (breadth first)."""
    came_from = {start: None}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            path = [here]
            while came_from[path[-1]] is not None:
                path.append(came_from[path[-1]])
            return path[::-1]
        for other in sorted(graph.get(here, ())):
            if other not in came_from:
                came_from[other] = here
                queue.append(other)
    return None


def test_no_two_contexts_import_each_other_in_a_circle():
    graph = imports()
    circles = set()
    for context, imported in graph.items():
        for other in imported:
            back = path_between(graph, other, context)
            if back:
                circles.add(" → ".join([context, *back]))
    assert not circles, "\n".join(sorted(circles))


def test_no_function_is_longer_than_a_screen():
    long = []
    for folder in ("services", "schemas", "workers", "infra"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    lines = node.end_lineno - node.lineno + 1
                    if lines > LONGEST_FUNCTION:
                        long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines} lines")
    assert not long, "\n".join(long)


def records_answered() -> list[str]:
    """Public functions of the contexts that answer with database rows (or say nothing of what
    they answer): a row's columns are the query's business, a Struct is the service's promise."""
    found = []
    for path in SERVICES.rglob("*.py"):
        if path.name == "db.py" or path.parent.name in ("board", "pages", "my", "partner"):
            continue  # db.py is where rows come from; pages answer with HTML
        for node in ast.parse(path.read_text()).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and not node.name.startswith("_"):
                answer = ast.unparse(node.returns) if node.returns else "(nothing said)"
                if "Record" in answer or (node.returns is None and path.name != "routes.py"):
                    found.append(f"{path.relative_to(SERVICES.parent)}:{node.lineno} {node.name} -> {answer}")
    return found


def test_services_answer_with_structs_not_rows():
    assert not records_answered(), "\n".join(records_answered())


def test_the_layer_rule_finds_a_wrong_import(tmp_path, monkeypatch):
    # The rule itself can fail: a channel importing a domain context is caught.
    fake = tmp_path / "services"
    (fake / "sms").mkdir(parents=True)
    (fake / "sms" / "__init__.py").write_text("")
    (fake / "sms" / "outbox.py").write_text("from services.rota import cover\n")
    monkeypatch.setattr(sys.modules[__name__], "SERVICES", fake)
    found = imports()
    assert found == {"sms": {"rota"}} and layer_of("rota") > layer_of("sms")


def test_a_contexts_queries_are_its_own():
    """SQL runs only in the context whose queries.sql it is; others call its service functions."""
    wrong = []
    for path in SERVICES.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").endswith(".queries"):
                owner = node.module.split(".")[1]
                if owner != context_of(path):
                    wrong.append(f"{path.relative_to(ROOT)} imports {node.module}")
    assert not wrong, "\n".join(sorted(wrong))


_QUERY = re.compile(r"^-- name: (\w+)(?:\(([^)]*)\))?", re.M)


def named_queries(sql: Path) -> dict[str, set[str]]:
    """Each query of a queries.sql and the parameters it takes."""
    return {
        name: {p.strip() for p in (params or "").split(",") if p.strip()}
        for name, params in _QUERY.findall(sql.read_text())
    }


def query_calls(path: Path) -> list[tuple[int, str, set[str]]]:
    """Each `queries.NAME(conn, key=…)` in a module: its line, the name and the keywords given."""
    calls = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "queries"
        ):
            calls.append((node.lineno, node.func.attr, {k.arg for k in node.keywords if k.arg}))
    return calls


def test_every_query_called_is_named_with_its_parameters():
    """A misspelt query or parameter fails here, not in production."""
    wrong = []
    for sql in SERVICES.rglob("queries.sql"):
        declared = named_queries(sql)
        modules = sql.parent.glob("*.py") if sql.parent != SERVICES else [SERVICES / "db.py"]
        for path in modules:
            for line, name, keywords in query_calls(path):
                where = f"{path.relative_to(ROOT)}:{line} queries.{name}"
                if name not in declared:
                    wrong.append(f"{where}: no such query in {sql.relative_to(ROOT)}")
                elif keywords - declared[name]:
                    wrong.append(f"{where}: takes no {sorted(keywords - declared[name])}")
    assert not wrong, "\n".join(sorted(wrong))


def test_the_query_check_finds_a_misspelt_name(tmp_path, monkeypatch):
    fake = tmp_path / "services" / "people"
    fake.mkdir(parents=True)
    (fake / "queries.sql").write_text("-- name: get_member(organisation_id, person_id)^\nSELECT 1;\n")
    (fake / "service.py").write_text(
        "async def f(conn):\n    await queries.get_membr(conn, organisation_id=1)\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SERVICES", fake.parent)
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    with pytest.raises(AssertionError, match="get_membr: no such query"):
        test_every_query_called_is_named_with_its_parameters()


def test_the_struct_rule_finds_a_row_answered(tmp_path, monkeypatch):
    fake = tmp_path / "services" / "rota"
    fake.mkdir(parents=True)
    (fake / "service.py").write_text("async def gaps(conn) -> list[asyncpg.Record]:\n    return []\n")
    monkeypatch.setattr(sys.modules[__name__], "SERVICES", tmp_path / "services")
    assert [line.split(" ", 1)[1] for line in records_answered()] == ["gaps -> list[asyncpg.Record]"]
