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
        rooms_link = re.search(r"Birgitta Kyrkvärd's rooms\s+(\S+)", banner).group(1)
        with httpx.Client(follow_redirects=True) as browser:
            assert str(browser.get(rooms_link).url) == f"{base}/my/rooms"  # the banner's link opens her rooms
        board_link = re.search(r"gap board (\S+)", banner).group(1)
        with httpx.Client(follow_redirects=True) as browser:
            board = browser.get(board_link)
        assert board.url == f"{base}/board" and "Extra pickup from Matbanken Exempel" not in board.text
        assert "Luckor i schemat" in board.text  # tomorrow's extra pickup has its driver: no gap
        deadline = time.monotonic() + 20
        while httpx.get(base + "/ready").json()["worker"] != "running":
            assert time.monotonic() < deadline, "the worker never reported"
            time.sleep(0.5)
        assert_kept_alive_requests_are_quick(base, webcals[0].replace("webcal://", "http://", 1))
    finally:
        dev.send_signal(signal.SIGINT)
        code = dev.wait(timeout=30)
        log.close()
    assert code in (0, 130)
    logs = (tmp_path / "stderr.log").read_text()
    assert "Traceback" not in logs
    assert "1740605" not in logs  # the demo coordinator's number never reaches a log line
    # The worker's line per job goes to its file in the data folder, not over the banner.
    assert "cron:" not in logs
    assert "worker_started" in (tmp_path / "data" / "worker.log").read_text()
    # Stopped: nothing answers on the port, and the embedded PostgreSQL socket is gone.
    try:
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=1)
        raise AssertionError("the API still answers after stop")
    except httpx.HTTPError:
        pass
    assert not list(Path(tmp_path / "data" / "postgres").glob(".s.PGSQL.*"))


def assert_kept_alive_requests_are_quick(base: str, feed: str) -> None:
    """On one kept-alive connection, as `volops serve` on its own port answers: a millisecond or
    two, not the ~40 ms of Nagle's algorithm meeting delayed ACKs on a socket without TCP_NODELAY."""
    with httpx.Client(base_url=base) as browser:
        for path in ("/ping", "/health", feed):
            browser.get(path)  # the connection made, the first answer cached
            took = []
            for _ in range(15):
                began = time.perf_counter()
                assert browser.get(path).status_code == 200
                took.append(time.perf_counter() - began)
            assert sorted(took)[len(took) // 2] < 0.010, (path, [round(t * 1000, 1) for t in took])


def _children(pid: int, command: str) -> list[int]:
    listed = subprocess.run(
        ["ps", "-o", "pid=,args=", "--ppid", str(pid)], capture_output=True, text=True
    ).stdout
    return [int(line.split()[0]) for line in listed.splitlines() if f"services.cli {command}" in line]


def test_dev_with_two_apis_and_two_workers_replaces_one_killed_under_load(tmp_path):
    """`volops dev --api 2 --workers 2`: one port, two API processes sharing its socket, two
    workers. One API killed (SIGKILL) under load: the other goes on answering, and the killed
    one is started again; only requests the killed process had in hand can fail."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("VOLOPS_")}
    env.update(VOLOPS_DATA_DIR=str(tmp_path / "data"), VOLOPS_PORT=str(port))
    dev = subprocess.Popen(
        [sys.executable, "-m", "services.cli", "dev", "--api", "2", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        for line in dev.stdout:
            if "API process(es)" in line:
                break
        apis, workers = _children(dev.pid, "serve"), _children(dev.pid, "worker")
        assert len(apis) == 2 and len(workers) == 2
        base = f"http://127.0.0.1:{port}"
        seen = {"ok": 0, "failed": 0, "ok_after": 0}
        with httpx.Client(timeout=10) as client:
            killed_at = None
            started = time.monotonic()
            while time.monotonic() - started < 8:
                if killed_at is None and time.monotonic() - started > 2:
                    os.kill(apis[0], signal.SIGKILL)
                    killed_at = time.monotonic()
                try:
                    ok = client.get(base + "/health").status_code == 200
                except httpx.HTTPError:
                    ok = False
                seen["ok" if ok else "failed"] += 1
                if ok and killed_at is not None:
                    seen["ok_after"] += 1
        deadline = time.monotonic() + 20
        while len(_children(dev.pid, "serve")) < 2 or apis[0] in _children(dev.pid, "serve"):
            assert time.monotonic() < deadline, "the killed API was not started again"
            time.sleep(0.5)
        print(f"\ntwo APIs, one killed: {seen}")
        assert seen["ok_after"] > 10 and seen["failed"] <= 2, seen
        assert httpx.get(base + "/ready").json()["status"] == "ok"
    finally:
        dev.send_signal(signal.SIGINT)
        dev.wait(timeout=40)
