"""`volops dev`: everything on one machine. Embedded PostgreSQL and Redis (unless given), the demo
loaded, then the API, a worker and the fake Twilio as child processes, watched until one stops or
the command is stopped; a banner says where to look."""

from __future__ import annotations

import asyncio
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

import asyncpg
import httpx
import msgspec

from infra import demo, embedded
from infra import migrate as migrations
from services.clock import process_clock
from services.config import Settings, env_name, redact
from services.pages.session import sign_in_link


class ChildFailed(Exception):
    pass


async def _prepare(settings: Settings) -> tuple[list, list, list]:
    """Migrate, load the demo, and make fresh tokens, feed links and own-page links."""
    clock = process_clock(settings.clock_start)
    conn = await asyncpg.connect(settings.session_database_url, server_settings={"timezone": "UTC"})
    try:
        await migrations.migrate(conn)
        async with conn.transaction():
            return await demo.for_dev(conn, clock, settings.public_base, settings.link_key_bytes)
    finally:
        await conn.close()


def _child_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    for field in settings.__struct_fields__:
        value = getattr(settings, field)
        if value is not None:
            env[env_name(field)] = str(value)
    env.setdefault(env_name("drain_seconds"), "0")  # one machine, no load balancer to wait for
    return env


def wait_ready(url: str, children: list[subprocess.Popen], timeout: float) -> None:
    """Until the URL answers 200, or one of the children it waits on has exited."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for child in children:
            if child.poll() is not None:
                raise ChildFailed(
                    f"`{' '.join(child.args[-1:])}` exited with status {child.returncode} while starting"
                )
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise ChildFailed(f"{url} did not answer ok within {timeout:.0f} seconds")


def _stop(children: list[subprocess.Popen]) -> None:
    for child in children:
        child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()


def _with_servers(settings: Settings, stack: ExitStack) -> tuple[Settings, str | None]:
    """The settings with the embedded servers and the fake Twilio filled in where none is given."""
    data_dir = settings.data_path
    data_dir.mkdir(parents=True, exist_ok=True)
    fake_twilio = None
    if settings.twilio_api_base is None:  # no Twilio given: the fake in infra/ plays it
        fake_twilio = f"http://127.0.0.1:{embedded.free_port()}"
    return msgspec.structs.replace(
        settings,
        database_url=settings.database_url or embedded.start_postgres(data_dir, stack),
        redis_url=settings.redis_url or embedded.start_redis(data_dir, stack),
        twilio_api_base=fake_twilio or settings.twilio_api_base,
        # /metrics is never public: the operator's bearer, made up for this run unless given.
        metrics_token=settings.metrics_token or secrets.token_urlsafe(24),
        link_key=settings.link_key or _kept_link_key(data_dir),
    ), fake_twilio


def _kept_link_key(data_dir: Path) -> str:
    """The calendar-link key of this data folder, made once: links shown again stay the same
    from one run to the next."""
    path = data_dir / "link.key"
    if not path.exists():
        path.touch(mode=0o600)
        path.write_text(secrets.token_urlsafe(32))
    return path.read_text().strip()


def _listening(settings: Settings, stack: ExitStack) -> socket.socket:
    """The one port all API processes serve on; each gets the socket, the kernel shares out the
    connections (as gunicorn's pre-fork workers do), and a process that stops leaves the others."""
    listener = socket.create_server((settings.host, settings.port), reuse_port=False)
    listener.set_inheritable(True)
    stack.callback(listener.close)
    return listener


def run(settings: Settings, apis: int = 1, workers: int = 1) -> None:
    started = time.monotonic()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with ExitStack() as stack:
        settings, fake_twilio = _with_servers(settings, stack)
        tokens, feeds, own_pages = asyncio.run(_prepare(settings))
        env = _child_env(settings)
        children: list[subprocess.Popen] = []
        stack.callback(_stop, children)
        listener = _listening(settings, stack)
        # A line per request would push the banner off the screen: the API says only what is wrong,
        # unless VOLOPS_LOG_LEVEL asks for more.
        api_log = os.environ.get(env_name("log_level"), "WARNING")
        commands = [
            (["serve"], {"VOLOPS_LISTEN_FD": str(listener.fileno()), env_name("log_level"): api_log})
        ] * apis + [(["worker"], {})] * workers
        if fake_twilio:
            commands.append((["fake-twilio", "--port", fake_twilio.rsplit(":", 1)[1]], {}))

        worker_log = stack.enter_context((settings.data_path / "worker.log").open("a"))

        def start(command: list[str], extra: dict[str, str]) -> subprocess.Popen:
            # A worker logs a line per job: those go to its file, so the console keeps the banner.
            quiet = {"stdout": worker_log, "stderr": subprocess.STDOUT} if command[0] == "worker" else {}
            return subprocess.Popen(
                [sys.executable, "-m", "services.cli", *command],
                env=env | extra,
                pass_fds=(listener.fileno(),) if extra else (),
                **quiet,
            )

        children.extend(start(command, extra) for command, extra in commands)
        base = f"http://{settings.host}:{settings.port}"
        wait_ready(base + "/ready", children, timeout=60)
        processes = f"{apis} API process(es) on port {settings.port}, {workers} worker(s)"
        print(
            banner(
                settings, base, tokens, feeds, own_pages, fake_twilio, time.monotonic() - started, processes
            ),
            flush=True,
        )
        _watch(children, commands, start, replaceable=apis > 1 or workers > 1)


def _watch(children: list[subprocess.Popen], commands: list, start, replaceable: bool) -> None:
    """Until Ctrl-C. With more than one API or worker, one that stops is started again (as an
    orchestrator would) and the others carry on meanwhile; otherwise, or for the fake Twilio,
    a stop ends `volops dev` with what stopped."""
    while True:
        time.sleep(0.5)
        for n, child in enumerate(children):
            if child.poll() is None:
                continue
            command, extra = commands[n]
            if not replaceable or command[0] not in ("serve", "worker"):
                where = "worker.log in the data folder" if command[0] == "worker" else "its log above"
                raise ChildFailed(
                    f"`volops {command[0]}` stopped with status {child.returncode}; see {where}"
                )
            print(
                f"volops dev: `volops {command[0]}` stopped ({child.returncode}); starting it again",
                flush=True,
            )
            children[n] = start(command, extra)


def banner(
    settings: Settings,
    base: str,
    tokens: list,
    feeds: list,
    own_pages: list,
    fake_twilio: str | None,
    seconds: float,
    processes: str,
) -> str:
    lines = [
        "",
        f"volops is running (ready in {seconds:.1f} s). Stop it with Ctrl-C.",
        f"  processes      {processes}",
        f"  API            {base}/",
        f"  API docs       {base}/schema/swagger",
        f"  readiness      {base}/ready",
        f"  metrics        {base}/metrics  (Authorization: Bearer {settings.metrics_token})",
        f"  data folder    {settings.data_path}",
        f"  worker log     {settings.data_path / 'worker.log'}",
        f"  request log    warnings only; `{env_name('log_level')}=INFO volops dev` shows each request",
        f"  PostgreSQL     {redact(settings.database_url or '')}",
        f"  Redis          {redact(settings.redis_url or '')}",
        "",
        "Demo coordinators (made-up people; tokens are new each start, earlier ones are revoked):",
    ]
    for slug, who, secret, organisation_id in tokens:
        lines.append(f"  {slug:<17} organisation {organisation_id:<3} {who}")
        lines.append(f"      token {secret}")
        if "coordinator" in who:
            lines.append(f"      gap board {sign_in_link(base, secret)}")
    if fake_twilio:
        lines += [
            "",
            f"SMS go to the fake Twilio: see them at {fake_twilio}/ ; answer as a volunteer with",
            f'  curl -s -X POST {fake_twilio}/_fake/inbound -d \'{{"from": "+46701740606", "body": "nej"}}\'',
        ]
    lines += ["", "Calendar feeds (subscribe in any calendar app):"]
    lines += [f"  {what:<30} {url}" for what, url in feeds]
    lines += ["", "Own pages of a volunteer and a partner (open on a phone; the link texted to them):"]
    lines += [f"  {what:<30} {url}" for what, url in own_pages]
    _slug, _who, secret, organisation_id = tokens[0]
    lines += [
        "",
        "Try:",
        f"  curl -s -H 'Authorization: Bearer {secret}' {base}/me",
        f"  curl -s -H 'Authorization: Bearer {secret}' {base}/organisations/{organisation_id}/people",
        "",
    ]
    return "\n".join(lines)
