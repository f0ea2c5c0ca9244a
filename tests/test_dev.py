"""`volops dev` as a person runs it: no VOLOPS_* URLs, so it starts its embedded PostgreSQL and
Redis (never the machine's), loads the demo, and prints what a person needs."""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from infra import demo
from tests.support.processes import free_port


def test_dev_runs_everything_embedded_and_restarts_on_the_same_data(tmp_path):
    for _start in range(2):  # the second start finds the demo loaded and adds nothing
        run_dev_once(tmp_path)


def run_dev_once(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLOPS_")}
    env.update(VOLOPS_DATA_DIR=str(tmp_path / "data"), VOLOPS_PORT=str(port))
    log = (tmp_path / "stderr.log").open("w")
    dev = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "dev"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
    )
    try:
        started = time.monotonic()
        out = []
        for line in dev.stdout:
            out.append(line)
            if line.startswith("Try:"):
                break
            assert time.monotonic() - started < 90, "".join(out)
        banner = "".join(out)
        assert dev.poll() is None, banner
        assert f"http://127.0.0.1:{port}/schema/swagger" in banner
        assert "postgres" in banner and str(tmp_path / "data" / "postgres") in banner
        tokens = dict(re.findall(r"^  ([a-z-]+)\s+organisation (\d+) ", banner, re.M))
        assert set(tokens) == {o.slug for o in demo.ORGANISATIONS}
        secret = re.search(r"token (vo_\S+)", banner).group(1)

        base = f"http://127.0.0.1:{port}"
        webcals = re.findall(r"(webcal://\S+\.ics)", banner)
        assert len(webcals) == 3 and all(u.startswith(f"webcal://127.0.0.1:{port}/feeds/") for u in webcals)
        for url in webcals:
            calendar = httpx.get(url.replace("webcal://", "http://", 1))
            assert calendar.status_code == 200 and calendar.headers["content-type"].startswith(
                "text/calendar"
            )
            assert "BEGIN:VEVENT" in calendar.text
        ready = httpx.get(base + "/ready").json()
        assert ready["status"] == "ok"
        me = httpx.get(base + "/me", headers={"Authorization": f"Bearer {secret}"}).json()
        assert me["organisation_name"] == "Malmö Shelter & Outreach (demo)" and "coordinator" in me["roles"]
        people = httpx.get(
            f"{base}/organisations/{me['organisation_id']}/people",
            headers={"Authorization": f"Bearer {secret}"},
        ).json()["items"]
        assert len(people) == 6
        assert all(p["phone"].startswith("+467017406") for p in people)  # the fiction range only
        board_link = re.search(r"gap board (\S+)", banner).group(1)
        with httpx.Client(follow_redirects=True) as browser:
            board = browser.get(board_link)
        assert board.url == f"{base}/board" and "Extra pickup from Matbanken Exempel" not in board.text
        assert "Luckor i schemat" in board.text  # tomorrow's extra pickup has its driver: no gap
        deadline = time.monotonic() + 20
        while httpx.get(base + "/ready").json()["worker"] != "running":
            assert time.monotonic() < deadline, "the worker never reported"
            time.sleep(0.5)
    finally:
        dev.send_signal(signal.SIGINT)
        code = dev.wait(timeout=30)
        log.close()
    assert code in (0, 130)
    logs = (tmp_path / "stderr.log").read_text()
    assert "Traceback" not in logs
    assert "1740605" not in logs  # the demo coordinator's number never reaches a log line
    # Stopped: nothing answers on the port, and the embedded PostgreSQL socket is gone.
    try:
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        raise AssertionError("the API still answers after stop")
    except httpx.HTTPError:
        pass
    assert not list(Path(tmp_path / "data" / "postgres").glob(".s.PGSQL.*"))
