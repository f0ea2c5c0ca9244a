"""Redis behind a real Sentinel: a master, a replica and one sentinel (Debian's `redis-sentinel`, or
`redis-server --sentinel` where only the server is installed), each its own process."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import redis

from infra import embedded
from tests.support.processes import free_port

MASTER_NAME = "volops"


@dataclass
class SentinelRedis:
    sentinel_port: int
    ports: tuple[int, int]  # the first master, then its replica

    @property
    def sentinels(self) -> str:
        return f"127.0.0.1:{self.sentinel_port}"

    def master_port(self) -> int:
        return int(self._sentinel().sentinel_get_master_addr_by_name(MASTER_NAME)[1])

    def fail_over(self, timeout: float = 30) -> int:
        """Make the replica the master, as Sentinel does when the master is lost; its port."""
        before = self.master_port()
        self._sentinel().execute_command("SENTINEL FAILOVER", MASTER_NAME)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = self.master_port()
            if now != before and redis.Redis(port=now).info("replication")["role"] == "master":
                return now
            time.sleep(0.2)
        raise AssertionError("the sentinel did not fail over")

    def _sentinel(self) -> redis.Redis:
        return redis.Redis(port=self.sentinel_port, socket_timeout=5)


def start(stack: ExitStack) -> SentinelRedis:
    server = shutil.which("redis-server") or embedded.redis_binary()
    sentinel = [shutil.which("redis-sentinel")] if shutil.which("redis-sentinel") else [server, "--sentinel"]
    folder = Path(tempfile.mkdtemp(prefix="volops-sentinel-"))
    stack.callback(shutil.rmtree, folder, True)
    master, replica, sentinel_port = free_port(), free_port(), free_port()
    for port, extra in ((master, []), (replica, ["--replicaof", "127.0.0.1", str(master)])):
        _run(
            stack,
            [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(folder), *extra],
        )
    config = folder / "sentinel.conf"  # Sentinel rewrites its file as it learns
    config.write_text(
        f"port {sentinel_port}\nbind 127.0.0.1\ndir {folder}\n"
        f"sentinel monitor {MASTER_NAME} 127.0.0.1 {master} 1\n"
        f"sentinel down-after-milliseconds {MASTER_NAME} 2000\n"
        f"sentinel failover-timeout {MASTER_NAME} 10000\n"
    )
    _run(stack, [*sentinel[:1], str(config), *sentinel[1:]])
    found = SentinelRedis(sentinel_port, (master, replica))
    _wait(lambda: found._sentinel().sentinel_slaves(MASTER_NAME), "the sentinel did not find the replica")
    _wait(
        lambda: redis.Redis(port=replica).info("replication")["master_link_status"] == "up",
        "the replica did not follow its master",
    )
    return found


def _run(stack: ExitStack, command: list[str]) -> None:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stack.callback(process.wait, 10)
    stack.callback(process.terminate)


def _wait(ready, failure: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except redis.RedisError:
            pass
        time.sleep(0.2)
    raise AssertionError(failure)
