"""PostgreSQL stopped or frozen under a real `volops serve`: requests get 503 problem details with
Retry-After within seconds, /ready answers within 2 s, and the API recovers by itself.

A small TCP proxy stands between the API and PostgreSQL, so the test can freeze the database (the
connections stay open, nothing answers, as a stopped VM or a full disk would) or stop it (every
connection closed and refused) without touching the server other tests use."""

import asyncio
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.support.processes import VOLOPS, cli_env, free_port, wait_until_up


class Proxy:
    def __init__(self, database_url: str) -> None:
        url = urlsplit(database_url)
        self.socket_dir = parse_qs(url.query).get("host", [None])[0]  # the embedded server
        self.target = (url.hostname or "127.0.0.1", url.port or 5432)
        self.port = free_port()
        self.frozen = asyncio.Event()
        self.links: set[asyncio.StreamWriter] = set()
        self.server: asyncio.Server | None = None
        self.url = database_url.replace(url.netloc, f"{url.username}@127.0.0.1:{self.port}").split("?")[0]

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)

    async def stop(self) -> None:
        """PostgreSQL is gone: every connection closes and new ones are refused."""
        self.server.close()
        for writer in list(self.links):
            writer.transport.abort()
        await self.server.wait_closed()

    async def _link(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        if self.socket_dir:
            up_reader, up_writer = await asyncio.open_unix_connection(
                f"{self.socket_dir}/.s.PGSQL.{self.target[1]}"
            )
        else:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.links.update({writer, up_writer})
        await asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                while self.frozen.is_set():  # hold the bytes: the server "does not answer"
                    await asyncio.sleep(0.05)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            writer.transport.abort()
            self.links.discard(writer)


async def timed(http: httpx.AsyncClient, path: str, **kwargs) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    response = await http.get(path, **kwargs)
    return response, time.monotonic() - started


@pytest.fixture
async def proxy(database_url):
    proxy = Proxy(database_url)
    await proxy.start()
    yield proxy
    proxy.frozen.clear()
    if proxy.server.is_serving():
        await proxy.stop()


async def test_stopped_and_frozen_database_give_503_then_recover(settings, clock, org, proxy):
    port = free_port()
    env = cli_env(
        settings,
        clock.now(),
        VOLOPS_DATABASE_URL=proxy.url,
        VOLOPS_PORT=str(port),
        VOLOPS_DATABASE_TIMEOUT_SECONDS="2",
        VOLOPS_LOG_LEVEL="WARNING",
    )
    api = subprocess.Popen([*VOLOPS, "serve"], env=env, stderr=subprocess.DEVNULL)
    people = f"/organisations/{org.id}/people"
    try:
        await asyncio.to_thread(wait_until_up, f"http://127.0.0.1:{port}/health", api)
        async with httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{port}", headers=org.auth(), timeout=30
        ) as http:
            assert (await http.get(people)).status_code == 200

            proxy.frozen.set()
            for _ in range(2):  # a request in a frozen database, then one waiting for a connection
                response, took = await timed(http, people)
                assert response.status_code == 503 and took < 6, (response.status_code, took)
                assert response.headers["retry-after"] == "5"
                assert response.headers["content-type"].startswith("application/problem+json")
                assert "try again" in response.json()["detail"].lower()
            ready, took = await timed(http, "/ready")
            assert ready.status_code == 503 and ready.json()["postgres"] == "unavailable" and took < 2.5

            proxy.frozen.clear()
            await proxy.stop()
            response, took = await timed(http, people)
            assert response.status_code == 503 and response.headers["retry-after"] == "5" and took < 6
            ready, took = await timed(http, "/ready")
            assert ready.status_code == 503 and took < 2.5

            await proxy.start()  # PostgreSQL is back: the API recovers without a restart
            deadline = time.monotonic() + 20
            while (await http.get(people)).status_code != 200:
                assert time.monotonic() < deadline, "the API did not recover"
                await asyncio.sleep(0.5)
            assert (await http.get("/ready")).status_code == 200
    finally:
        api.terminate()
        api.wait(timeout=20)
