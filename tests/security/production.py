"""Run Django in a subprocess configured as production is: DEBUG off, a real secret, real hosts.

The suite's own settings (config.settings.test) relax HTTPS for the test client, so
the production values are checked here, from config.settings.base and the
environment alone, the way gunicorn loads them.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[2]
HOST = "tracker.example.gov.uk"


def production_env(**overrides: str) -> dict[str, str]:
    # The test run's own settings stay behind: DEBUG, DJANGO_* (the browser tests set
    # DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly refuses), and ours.
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECURE_SSL_REDIRECT"}
        and not key.startswith(("DJANGO_", "SESSION_", "TRUST_", "SIGN_IN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.base",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        # Nothing here needs tables; an in-memory database keeps it self-contained.
        DATABASE_URL="sqlite://:memory:",
    )
    env.update(overrides)
    return env


def run(args: list[str], **env_overrides: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=PROJECT,
        env=production_env(**env_overrides),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def run_python(code: str, **env_overrides: str):
    """Run `code` after django.setup(); it prints one JSON value, which is returned."""
    script = f"import django, json\ndjango.setup()\n{code}"
    result = run(["-c", script], **env_overrides)
    assert result.returncode == 0, f"the production subprocess failed:\n{result.stderr}"
    return json.loads(result.stdout.strip().splitlines()[-1])
