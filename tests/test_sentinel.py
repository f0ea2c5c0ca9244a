"""Redis behind Sentinel: the API and a worker are given only the sentinels and the master's name.
Jobs flow (a new volunteer's link SMS goes out), the health checks see the worker, and after the
sentinel fails the master over to its replica both follow it without a restart."""

from __future__ import annotations

import subprocess
import tempfile
import time
from contextlib import ExitStack

import httpx
import pytest

from tests.support import sentinel
from tests.support.processes import VOLOPS, running_api

pytestmark = pytest.mark.now("2026-03-02T10:00")


def texted(sms_stack, phone: str, timeout: float = 30) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if phone in [m["to"] for m in sms_stack.messages()]:
            return True
        time.sleep(0.3)
    return False


def add_volunteer(api: str, org, phone: str) -> None:
    added = httpx.post(
        f"{api}/organisations/{org.id}/people",
        headers=org.auth(),
        json={
            "display_name": f"Vera {phone[-2:]}",
            "roles": ["volunteer"],
            "phone": phone,
            "sms_consent": True,
        },
        timeout=20,
    )
    assert added.status_code == 201, added.text


def ready(api: str, timeout: float = 30) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while True:
        answer = httpx.get(f"{api}/ready", timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer
        time.sleep(0.3)


async def test_api_and_worker_follow_the_sentinel_through_a_failover(client, org, sms_stack):
    with ExitStack() as stack:
        redis_set = sentinel.start(stack)
        env = sms_stack.env(
            VOLOPS_REDIS_URL="",  # only the sentinels
            VOLOPS_REDIS_SENTINELS=redis_set.sentinels,
            VOLOPS_REDIS_SENTINEL_MASTER=sentinel.MASTER_NAME,
        )
        log = stack.enter_context(tempfile.TemporaryFile("w+"))
        worker = subprocess.Popen(
            [*VOLOPS, "worker"], env={**env, "VOLOPS_LOG_LEVEL": "INFO"}, stdout=log, stderr=subprocess.STDOUT
        )
        stack.callback(worker.wait, 20)
        stack.callback(worker.terminate)
        api = stack.enter_context(running_api(env))
        assert ready(api).json()["worker"] == "running"
        check = subprocess.run(
            [*VOLOPS, "worker", "--check"], env=env, capture_output=True, text=True, timeout=30
        )
        assert check.returncode == 0, check.stdout + check.stderr
        add_volunteer(api, org, "+46701230672")
        assert texted(sms_stack, "+46701230672")

        new_master = redis_set.fail_over()
        assert new_master == redis_set.ports[1]
        answer = ready(api)
        assert answer.status_code == 200 and answer.json()["worker"] == "running", answer.text
        add_volunteer(api, org, "+46701230673")
        # A connection the sentinel killed mid-command is retried with a pause, so allow a minute.
        assert texted(sms_stack, "+46701230673", timeout=60), worker_said(worker, log)


def worker_said(worker: subprocess.Popen, log) -> str:
    """Whether the worker still runs, and its last lines: what a failure here needs to be read."""
    log.seek(0)
    return f"worker exit code {worker.poll()}; its last lines:\n" + "".join(log.readlines()[-30:])


def test_unreachable_sentinels_are_named_in_one_line(settings):
    from tests.support.processes import cli_env

    env = cli_env(settings, VOLOPS_REDIS_URL="", VOLOPS_REDIS_SENTINELS="127.0.0.1:1")
    run = subprocess.run([*VOLOPS, "worker"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0
    assert "VOLOPS_REDIS_SENTINELS: cannot connect to 127.0.0.1:1" in run.stderr, run.stderr
