"""Start-up settings: one clear line naming the setting, never a traceback."""

import subprocess

import pytest

from services.config import ConfigError, load_settings
from tests.support.processes import VOLOPS, cli_env


@pytest.mark.parametrize(
    ("variable", "value", "says"),
    [
        ("VOLOPS_PORT", "eighty", "VOLOPS_PORT: expected a whole number"),
        ("VOLOPS_PORT", "70000", "VOLOPS_PORT: expected `int` <= 65535"),
        (
            "VOLOPS_DATABASE_URL",
            "mysql://db/volops",
            "VOLOPS_DATABASE_URL: expected a URL starting with postgres://",
        ),
        (
            "VOLOPS_DATABASE_POOL_MODE",
            "transaction",
            "VOLOPS_DATABASE_DIRECT_URL: a pooler in transaction mode needs PostgreSQL's own address",
        ),
        (
            "VOLOPS_DATABASE_POOL_MODE",
            "statement",
            "VOLOPS_DATABASE_POOL_MODE: expected one of session, transaction",
        ),
        (
            "VOLOPS_REDIS_SENTINELS",
            "sentinel one",
            "VOLOPS_REDIS_SENTINELS: expected host:port of each sentinel",
        ),
        ("VOLOPS_REDIS_URL", "localhost:6379", "VOLOPS_REDIS_URL: expected a URL starting with"),
        ("VOLOPS_PUBLIC_URL", "volops.example", "VOLOPS_PUBLIC_URL: expected a URL starting with http://"),
        ("VOLOPS_LOG_LEVEL", "LOUD", "VOLOPS_LOG_LEVEL: expected one of DEBUG, INFO, WARNING, ERROR"),
        (
            "VOLOPS_TWILIO_FROM_NUMBER",
            "0701234567",
            "VOLOPS_TWILIO_FROM_NUMBER: expected a phone number in E.164",
        ),
    ],
)
def test_malformed_setting_names_itself(variable, value, says):
    with pytest.raises(ConfigError) as caught:
        load_settings({variable: value}, env_file="/nonexistent")
    message = str(caught.value)
    assert message.startswith(says), message
    assert "\n" not in message


def test_password_is_not_echoed():
    with pytest.raises(ConfigError) as caught:
        load_settings({"VOLOPS_DATABASE_URL": "mysql://me:hunter22@db/x"}, env_file="/nonexistent")
    assert "hunter22" not in str(caught.value)


def test_a_too_short_link_key_is_refused_without_being_shown():
    with pytest.raises(ConfigError) as caught:
        load_settings({"VOLOPS_LINK_KEY": "short-secret"}, env_file="/nonexistent")
    assert str(caught.value).startswith("VOLOPS_LINK_KEY: expected `str` of length >= 32")
    assert "short-secret" not in str(caught.value)


def test_dotenv_file_is_read_and_environment_wins(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("VOLOPS_PORT=8111\nVOLOPS_PUBLIC_URL=https://volops.example\n")
    settings = load_settings({"VOLOPS_PORT": "8222"}, env_file=env_file)
    assert settings.port == 8222 and settings.public_url == "https://volops.example"


@pytest.mark.parametrize("command", ["migrate", "serve", "worker"])
def test_unreachable_database_is_one_line(command, redis_url):
    env = {
        "PATH": "/usr/bin:/bin",
        "VOLOPS_DATABASE_URL": "postgresql://volops:secret@127.0.0.1:9/volops",
        "VOLOPS_REDIS_URL": redis_url,
    }
    run = subprocess.run([*VOLOPS, command], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith(
        "volops: VOLOPS_DATABASE_URL: cannot connect to postgresql://volops:***@127.0.0.1:9/volops"
    )
    assert "secret" not in run.stderr


def test_unreachable_redis_is_one_line(database_url):
    env = {
        "PATH": "/usr/bin:/bin",
        "VOLOPS_DATABASE_URL": database_url,
        "VOLOPS_REDIS_URL": "redis://127.0.0.1:9/0",
    }
    run = subprocess.run([*VOLOPS, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [run.stderr.strip()] and run.stderr.startswith(
        "volops: VOLOPS_REDIS_URL: cannot connect to redis://127.0.0.1:9/0"
    )


def test_serve_without_urls_explains(tmp_path):
    run = subprocess.run(
        [*VOLOPS, "serve"],
        env={"PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert run.stderr.strip() == "volops: VOLOPS_DATABASE_URL: not set (`volops dev` starts an embedded one)"


def test_malformed_setting_from_the_command_line():
    run = subprocess.run(
        [*VOLOPS, "migrate"],
        env={"PATH": "/usr/bin:/bin", "VOLOPS_PORT": "x"},
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert run.stderr.strip() == "volops: VOLOPS_PORT: expected a whole number (got 'x')"


@pytest.mark.parametrize("slug", ["Bad Slug", "x", "a" * 70])
async def test_issue_token_with_a_slug_the_database_would_refuse_says_so_in_one_line(conn, settings, slug):
    run = subprocess.run(
        [
            *VOLOPS,
            "issue-token",
            slug,
            "--create",
            "--name",
            "Lena Exempelsson",
            "--kind",
            "support_organisation",
            "--country",
            "SE",
            "--language",
            "sv",
            "--time-zone",
            "Europe/Stockholm",
        ],
        env=cli_env(settings),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == [
        f"volops: ORG: a new organisation's short name is 2-63 lowercase letters, digits or '-', "
        f"like malmo-shelter (got {slug!r})"
    ]
    assert await conn.fetchval("SELECT count(*) FROM organisations") == 0
