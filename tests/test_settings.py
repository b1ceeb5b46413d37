"""Settings come from the environment and fail loudly when it is wrong."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings.env import env_bool, env_int, env_list

PROJECT = Path(__file__).resolve().parent.parent

PRINT_DATABASE = (
    "import json, config.settings.base as s; "
    "print(json.dumps({k: str(v) for k, v in s.DATABASES['default'].items()}))"
)


def run_settings(code: str, **environ: str) -> subprocess.CompletedProcess:
    """Import the settings in a fresh interpreter with only the given environment."""
    env = {"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1", **environ}
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed script
        [sys.executable, "-c", code],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_settings_refuse_to_start_without_a_secret_key_when_debug_is_off():
    result = run_settings("import config.settings.base")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY is not set" in result.stderr


def test_settings_start_without_a_secret_key_in_debug():
    result = run_settings("import config.settings.base as s; print(s.DEBUG)", DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_settings_refuse_a_debug_value_that_is_not_true_or_false():
    result = run_settings("import config.settings.base", DEBUG="maybe", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


def test_database_defaults_to_sqlite_in_the_project_folder():
    result = run_settings(PRINT_DATABASE, DEBUG="true")
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == str(PROJECT / "db.sqlite3")


def test_postgres_database_url_is_parsed():
    result = run_settings(
        PRINT_DATABASE,
        DEBUG="true",
        DATABASE_URL="postgres://tracker:s3cret@db.example.org:5433/improvement_tracker",
    )
    assert result.returncode == 0, result.stderr
    database = json.loads(result.stdout)
    assert {
        key: database[key] for key in ("ENGINE", "NAME", "USER", "PASSWORD", "HOST", "PORT")
    } == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "improvement_tracker",
        "USER": "tracker",
        "PASSWORD": "s3cret",
        "HOST": "db.example.org",
        "PORT": "5433",
    }
    assert database["CONN_MAX_AGE"] == "60"
    assert database["CONN_HEALTH_CHECKS"] == "True"


def test_database_connection_age_must_be_a_number():
    result = run_settings(
        "import config.settings.base", DEBUG="true", DATABASE_CONN_MAX_AGE="forever"
    )
    assert result.returncode != 0
    assert "DATABASE_CONN_MAX_AGE must be a whole number, not 'forever'" in result.stderr


# --- The typed readers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", True),
        ("true", True),
        (" Yes ", True),
        ("ON", True),
        ("0", False),
        ("false", False),
        ("no", False),
        ("off", False),
        ("", False),
    ],
)
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected):
    monkeypatch.setenv("TRACKER_FLAG", raw)
    assert env_bool("TRACKER_FLAG") is expected


def test_env_bool_falls_back_to_the_default_only_when_unset(monkeypatch):
    monkeypatch.delenv("TRACKER_FLAG", raising=False)
    assert env_bool("TRACKER_FLAG", default=True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "yes please", "tru"])
def test_env_bool_refuses_garbage(monkeypatch, raw):
    monkeypatch.setenv("TRACKER_FLAG", raw)
    with pytest.raises(
        ImproperlyConfigured, match=f"TRACKER_FLAG must be true or false, not '{raw}'"
    ):
        env_bool("TRACKER_FLAG")


def test_env_int_refuses_garbage_and_defaults_when_blank(monkeypatch):
    monkeypatch.setenv("TRACKER_NUMBER", "twelve")
    with pytest.raises(ImproperlyConfigured, match="TRACKER_NUMBER must be a whole number"):
        env_int("TRACKER_NUMBER", 5)
    monkeypatch.setenv("TRACKER_NUMBER", " ")
    assert env_int("TRACKER_NUMBER", 5) == 5
    monkeypatch.setenv("TRACKER_NUMBER", "42")
    assert env_int("TRACKER_NUMBER", 5) == 42


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("TRACKER_HOSTS", " tracker.example.org, ,localhost ")
    assert env_list("TRACKER_HOSTS") == ["tracker.example.org", "localhost"]
    monkeypatch.delenv("TRACKER_HOSTS")
    assert env_list("TRACKER_HOSTS", default=["a"]) == ["a"]
