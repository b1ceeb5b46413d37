"""The page benchmark runs end to end: a smoke test, never a timing test.

On a scratch PostgreSQL database of its own (created and dropped here, beside the
suite's test database), generate_data makes a small plan for two councils, then
scripts/benchmark_pages.py --smoke serves it with gunicorn in production mode,
signs in over HTTP and visits every page it measures. It must answer 200 on every
page and count every page's queries; how fast it was does not matter here.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings

PROJECT = Path(__file__).resolve().parents[1]
DATABASE = settings.DATABASES["default"]

pytestmark = pytest.mark.skipif(
    DATABASE["ENGINE"] != "django.db.backends.postgresql",
    reason="the page benchmark runs against PostgreSQL only (set DATABASE_URL)",
)


def _connect(dbname: str):
    import psycopg

    return psycopg.connect(
        host=DATABASE["HOST"] or None,
        port=DATABASE["PORT"] or None,
        user=DATABASE["USER"] or None,
        password=DATABASE["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


@pytest.fixture
def scratch_database_url():
    """A new, empty database on the suite's server; dropped afterwards, whatever happens."""
    name = f"bench_smoke_{secrets.token_hex(4)}"
    with _connect("postgres") as admin:
        admin.execute(f'create database "{name}"')
    user = quote(DATABASE["USER"] or "", safe="")
    password = f":{quote(DATABASE['PASSWORD'], safe='')}" if DATABASE["PASSWORD"] else ""
    host = DATABASE["HOST"] or "127.0.0.1"
    port = DATABASE["PORT"] or "5432"
    try:
        yield f"postgres://{user}{password}@{host}:{port}/{name}"
    finally:
        with _connect("postgres") as admin:
            admin.execute(f'drop database if exists "{name}" with (force)')


def _environment(database_url: str, **extra: str) -> dict[str, str]:
    # The suite's own settings stay behind (config.settings.test, its DEBUG and secret).
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SECURE_SSL_REDIRECT"}
        and not key.startswith("DJANGO_")
    }
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", DATABASE_URL=database_url, **extra)
    return env


def _run(args: list[str], env: dict[str, str], timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter and scripts
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def test_benchmark_smoke_run_answers_every_page(scratch_database_url, tmp_path):
    # generate_data, like the demo, refuses to run with DEBUG off.
    setup_env = _environment(scratch_database_url, DEBUG="true")
    for command in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", "generate_data", "--scale", "small", "--councils", "2", "--seed", "1"],
    ):
        result = _run(command, setup_env, timeout=180)
        assert result.returncode == 0, f"{' '.join(command)} failed:\n{result.stderr[-3000:]}"

    output = tmp_path / "performance.json"
    result = _run(
        ["scripts/benchmark_pages.py", "--smoke", "--json", str(output)],
        _environment(scratch_database_url),
        timeout=240,
    )
    assert result.returncode == 0, (
        f"the benchmark failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    )

    report = json.loads(output.read_text())
    assert report["failures"] == []
    names = {page["name"] for page in report["pages"]}
    assert {
        "baseline",
        "dashboard",
        "inspections",
        "inspection",
        "finding",
        "actions",
        "actions_filtered",
        "actions_deep_page",
        "action",
        "action_updates",
        "my_actions",
        "admin_actions",
        "admin_findings",
        "export_csv",
        "export_xlsx",
    } <= names
    for page in report["pages"]:
        assert page["statuses"] == [200], page["name"]
        assert page["queries"] and page["queries"] > 0, page["name"]
        assert page["http"]["requests"] >= 1, page["name"]
        assert page["floor"]["median_ms"] is not None, page["name"]
    # The run's superuser is gone, and gunicorn with it.
    with _connect(scratch_database_url.rsplit("/", 1)[1]) as conn:
        left = conn.execute(
            "select count(*) from councils_user where username like 'benchmark-superuser-%'"
        ).fetchone()[0]
    assert left == 0
