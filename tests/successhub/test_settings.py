"""Settings are read from the environment; each case runs in a fresh interpreter.

Most cases only import the settings module (``read_settings``: what every command does
first, a fraction of a second); ``check --deploy`` runs the real command.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 10 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJ-_!@#"


def _run(argv: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    # Start from the caller's environment minus everything that shapes settings.
    ours = {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    return subprocess.run(
        [sys.executable, *argv],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "successhub.settings"} | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return _run(["manage.py", *args], env)


def read_settings(code: str, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` after ``from django.conf import settings``, in a fresh interpreter."""
    return _run(["-c", f"from django.conf import settings; {code}"], env)


def test_it_refuses_to_start_in_production_mode_without_secret_key():
    result = read_settings("settings.SECRET_KEY")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_it_refuses_when_debug_is_explicitly_off_and_the_key_is_empty():
    result = read_settings("settings.SECRET_KEY", DEBUG="false", SECRET_KEY="")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_starts_with_the_development_key():
    result = read_settings("print(settings.SECRET_KEY)", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert "development-only" in result.stdout


def test_check_deploy_is_clean_with_production_values():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY=STRONG_KEY,
        ALLOWED_HOSTS="success.example.com",
        CSRF_TRUSTED_ORIGINS="https://success.example.com",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("url", "engine"),
    [
        ("postgres://hub:secret@db.internal:5432/successhub", "django.db.backends.postgresql"),
        ("sqlite:////tmp/successhub-settings-test.sqlite3", "successhub.sqlite3"),
    ],
)
def test_database_url_selects_the_backend_with_pooled_healthy_connections(url, engine):
    code = (
        "d = settings.DATABASES['default'];"
        "print(d['ENGINE'], d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = read_settings(code, DEBUG="true", DATABASE_URL=url)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-3:] == [engine, "60", "True"]


def test_without_database_url_it_uses_the_sqlite_file_in_the_project():
    result = read_settings("print(settings.DATABASES['default']['NAME'])", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == str(ROOT / "db.sqlite3")
