"""Email settings come from the environment: the console in development, SMTP in production."""

import json

from tests.test_settings import run_settings

PRINT_EMAIL = (
    "import json, config.settings.base as s; print(json.dumps({k: getattr(s, k) for k in ("
    "'EMAIL_BACKEND', 'EMAIL_HOST', 'EMAIL_PORT', 'EMAIL_HOST_USER', 'EMAIL_USE_TLS', "
    "'EMAIL_USE_SSL', 'EMAIL_TIMEOUT', 'DEFAULT_FROM_EMAIL', 'PASSWORD_RESET_TIMEOUT')}))"
)
SECRET = "x" * 50


def email_settings(**environ) -> dict:
    result = run_settings(PRINT_EMAIL, **environ)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_development_prints_emails_to_the_console():
    assert email_settings(DEBUG="true")["EMAIL_BACKEND"] == (
        "django.core.mail.backends.console.EmailBackend"
    )


def test_production_sends_by_smtp_with_tls_by_default():
    settings = email_settings(SECRET_KEY=SECRET)
    assert settings["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (settings["EMAIL_HOST"], settings["EMAIL_PORT"], settings["EMAIL_USE_TLS"]) == (
        "localhost",
        587,
        True,
    )
    assert settings["PASSWORD_RESET_TIMEOUT"] == 3 * 24 * 3600, "links work for 3 days"


def test_every_email_setting_can_be_set():
    settings = email_settings(
        SECRET_KEY=SECRET,
        EMAIL_HOST="smtp.example.gov.uk",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="tracker",
        EMAIL_USE_TLS="false",
        EMAIL_USE_SSL="true",
        EMAIL_TIMEOUT="30",
        DEFAULT_FROM_EMAIL="Improvement Tracker <tracker@example.gov.uk>",
        SET_PASSWORD_LINK_DAYS="7",
    )
    assert settings == {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.example.gov.uk",
        "EMAIL_PORT": 465,
        "EMAIL_HOST_USER": "tracker",
        "EMAIL_USE_TLS": False,
        "EMAIL_USE_SSL": True,
        "EMAIL_TIMEOUT": 30,
        "DEFAULT_FROM_EMAIL": "Improvement Tracker <tracker@example.gov.uk>",
        "PASSWORD_RESET_TIMEOUT": 7 * 24 * 3600,
    }


def test_tls_and_ssl_together_are_refused():
    result = run_settings(PRINT_EMAIL, SECRET_KEY=SECRET, EMAIL_USE_SSL="true")
    assert result.returncode != 0
    assert "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true" in result.stderr


def test_the_tests_use_the_in_memory_backend(settings):
    assert settings.EMAIL_BACKEND == "django.core.mail.backends.locmem.EmailBackend"
