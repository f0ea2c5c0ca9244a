"""Rule 7: the client's address is the socket's, unless a trusted proxy says otherwise. No proxy is
trusted by default (VOLOPS_TRUSTED_PROXIES), so a client writing X-Forwarded-For itself does not
get a fresh sign-in limit per made-up address; behind a trusted proxy each client has her own.
Run against a real `volops serve` (uvicorn would otherwise believe the header from 127.0.0.1)."""

import subprocess

import httpx
import pytest

from services.signin import service as signin
from tests.support.factories import fictional_phone
from tests.support.processes import VOLOPS, cli_env, running_api

pytestmark = pytest.mark.now("2026-03-02T10:00")


def ask_codes(base: str, forwarded_for) -> list[int]:
    """A code asked for a new number each time (so only the per-address limit can answer 429)."""
    return [
        httpx.post(
            f"{base}/board/sign-in/code",
            data={"phone": fictional_phone()},
            headers={"X-Forwarded-For": forwarded_for(n)},
            timeout=10,
        ).status_code
        for n in range(signin.PER_ADDRESS_AN_HOUR + 1)
    ]


async def test_a_made_up_forwarded_address_is_not_believed(conn, settings, clock):
    with running_api(cli_env(settings, clock.now())) as base:
        answers = ask_codes(base, lambda n: f"203.0.113.{n}")
    assert answers[-1] == 429 and set(answers[:-1]) == {200}


async def test_behind_a_trusted_proxy_each_client_has_her_own_limit(conn, settings, clock):
    with running_api(cli_env(settings, clock.now(), VOLOPS_TRUSTED_PROXIES="127.0.0.1")) as base:
        own = ask_codes(base, lambda n: f"203.0.113.{n}, 127.0.0.1")
        assert set(own) == {200}  # eleven clients, each asking once
        # What a client writes itself stands left of what the proxy adds: the proxy's word counts.
        same = ask_codes(base, lambda n: f"192.0.2.{n}, 198.51.100.7")
    assert same[-1] == 429


async def test_a_mistyped_proxy_is_refused_in_plain_words(settings):
    run = subprocess.run(
        [*VOLOPS, "serve"],
        env=cli_env(settings, VOLOPS_TRUSTED_PROXIES="nginx.local"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode != 0 and "VOLOPS_TRUSTED_PROXIES" in run.stderr and "nginx.local" in run.stderr
