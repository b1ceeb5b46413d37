"""SITE_URL and REMINDERS_WEEKLY_DAY come from the environment and fail loudly when wrong."""

from tests.test_settings import run_settings

PRINT = "import config.settings.base as s; print(s.SITE_URL); print(s.REMINDERS_WEEKLY_DAY)"
PRODUCTION = {"SECRET_KEY": "x" * 50}


def test_site_url_is_read_without_its_trailing_slash():
    result = run_settings(PRINT, SITE_URL="https://tracker.example.gov.uk/", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://tracker.example.gov.uk", "monday"]


def test_site_url_defaults_to_the_local_server_in_debug_only():
    debug = run_settings(PRINT, DEBUG="true")
    assert debug.stdout.split()[0] == "http://127.0.0.1:8000"
    production = run_settings(PRINT, **PRODUCTION)
    assert production.stdout.splitlines()[0] == "", "no guess in production"


def test_the_weekly_day_is_a_day_of_the_week_in_any_case():
    result = run_settings(PRINT, REMINDERS_WEEKLY_DAY=" Friday ", DEBUG="true")
    assert result.stdout.split()[1] == "friday"

    result = run_settings(PRINT, REMINDERS_WEEKLY_DAY="fri", DEBUG="true")
    assert result.returncode != 0
    assert "REMINDERS_WEEKLY_DAY must be a day of the week, like monday, not 'fri'" in (
        result.stderr
    )
