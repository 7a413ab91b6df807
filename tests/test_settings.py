"""Settings come from the environment; production settings pass `check --deploy`."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from symposia.settings import env_bool, env_int, env_list

SRC = Path(__file__).resolve().parents[1] / "src"


def run_symposia(tmp_path, *args, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if key
        not in {
            "DATABASE_URL",
            "HTTPS",
            "DEBUG",
            "SECRET_KEY",
            "TASKS_IMMEDIATE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    environment.update(PYTHONPATH=str(SRC), SYMPOSIA_DATA_DIR=str(tmp_path / "data"), **env)
    return subprocess.run(
        [sys.executable, "-m", "symposia", *args],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    result = run_symposia(tmp_path, "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_secret_key_is_generated_once_and_kept_private(tmp_path):
    first = run_symposia(
        tmp_path, "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"
    )
    second = run_symposia(
        tmp_path, "shell", "-c", "from django.conf import settings; print(settings.SECRET_KEY)"
    )

    key_file = tmp_path / "data" / "secret_key"
    assert first.stdout == second.stdout
    assert len(first.stdout.strip()) >= 50
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_sqlite_default_runs_in_wal_mode(tmp_path):
    result = run_symposia(
        tmp_path,
        "shell",
        "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute('PRAGMA journal_mode'); print(c.fetchone()[0])",
    )

    assert result.stdout.strip().splitlines()[-1] == "wal", result.stderr


@pytest.mark.parametrize(("raw", "expected"), [("true", True), ("0", False), ("Yes", True)])
def test_env_bool_reads_common_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("SYMPOSIA_FLAG", raw)

    assert env_bool("SYMPOSIA_FLAG", not expected) is expected


def test_bad_values_fail_with_the_variable_name(monkeypatch):
    monkeypatch.setenv("SYMPOSIA_FLAG", "maybe")
    monkeypatch.setenv("SYMPOSIA_NUMBER", "eight")

    with pytest.raises(ImproperlyConfigured, match="SYMPOSIA_FLAG"):
        env_bool("SYMPOSIA_FLAG", False)
    with pytest.raises(ImproperlyConfigured, match="SYMPOSIA_NUMBER"):
        env_int("SYMPOSIA_NUMBER", 1)


def test_env_list_drops_blanks(monkeypatch):
    monkeypatch.setenv("SYMPOSIA_HOSTS", "a.org, ,b.org")

    assert env_list("SYMPOSIA_HOSTS", []) == ["a.org", "b.org"]


def test_links_in_mail_point_at_the_port_served(tmp_path):
    # `make run PORT=8731` once mailed confirmation links to port 8000.
    show = "from django.conf import settings; print(settings.SITE_URL)"

    on_port = run_symposia(tmp_path, "shell", "-c", show, PORT="8731")
    explicit = run_symposia(
        tmp_path, "shell", "-c", show, PORT="8731", SITE_URL="https://maths.example.org/"
    )

    assert on_port.stdout.strip().splitlines()[-1] == "http://127.0.0.1:8731", on_port.stderr
    assert explicit.stdout.strip().splitlines()[-1] == "https://maths.example.org"
