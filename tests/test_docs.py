"""The documentation builds strictly (a broken link, a page left out of the menu, a missing anchor
fails), and the README stays a short front page that starts with the two set-up commands."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_documentation_builds_strictly(tmp_path):
    built = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "site" / "features" / "sms" / "index.html").exists()


def test_the_readme_is_a_front_page_with_the_two_commands_first():
    readme = (ROOT / "README.md").read_text().splitlines()
    assert len(readme) <= 200
    commands = [line for line in readme if line.startswith("bash infra/")]
    assert commands[:2] == [
        "bash infra/dev.sh     # install into .venv, then run API + worker + embedded PostgreSQL/Redis + demo data",
        "bash infra/test.sh    # install into .venv, then run every test (real PostgreSQL and Redis)",
    ]
    for link in ("docs/index.md", "SECURITY.md", "docs/operating.md"):
        assert f"({link})" in "\n".join(readme) and (ROOT / link).exists()
