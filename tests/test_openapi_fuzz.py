"""schemathesis generates requests from `/schema/openapi.json` (examples, boundary values, random
and stateful sequences) against a real `volops serve`, with a coordinator's and a volunteer's token:
no response may be a 5xx, and every response must match the document."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.processes import cli_env, running_api

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")


@pytest.mark.skipif(not SCHEMATHESIS.exists() and not shutil.which("schemathesis"), reason="no schemathesis")
@pytest.mark.parametrize("who", ["coordinator", "volunteer"])
def test_no_server_error_and_every_answer_matches_the_document(settings, clock, org, who):
    with running_api(cli_env(settings, clock.now(), VOLOPS_LOG_LEVEL="ERROR")) as api:
        run = subprocess.run(
            [
                str(SCHEMATHESIS),
                "run",
                f"{api}/schema/openapi.json",
                "--header",
                f"Authorization: Bearer {getattr(org, who + '_token')}",
                "--checks",
                "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
                "--max-examples",
                "4",
                "--generation-deterministic",
                "--request-timeout",
                "20",
            ],
            capture_output=True,
            text=True,
            timeout=600,
        )
    summary = run.stdout[run.stdout.rfind("SUMMARY") :]
    print(summary)
    assert run.returncode == 0, run.stdout[run.stdout.find("FAILURES") :][:8000]
    assert " passed" in summary and "failed" not in summary.split("Test cases:")[-1]
