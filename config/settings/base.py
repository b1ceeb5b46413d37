"""Settings for every environment, read from environment variables.

See README.md ("Configuration") for the variables and their defaults.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it to a long random string "
            "(or set DEBUG=true for local development only)."
        )
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "config.apps.SupportAdminConfig",  # the admin site, for superusers only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "crispy_forms",
    "crispy_forms_gds",
    "simple_history",
    "axes",
    "csp",
    "councils",
    "inspections",
    "actions",
    "boards",
    "reminders",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Renews a signed-in session's idle timeout, writing it at most once a minute.
    "config.sessions.RenewSessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records who made each change in the audit trail (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "councils.context_processors.current_council",
            ],
        },
    },
]

# SQLite in the project folder by default, so `make run` needs nothing installed.
# Production sets DATABASE_URL=postgres://user:password@host:5432/name.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "councils.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before the password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
# UK formats everywhere, also where a template does not name one.
USE_L10N = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "j F Y, H:i"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d %m %Y", "%d-%m-%Y"]

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Evidence files are private: kept outside the static root and served by a view
# that checks the user's council (never by the web server directly).
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Evidence uploads: anything larger is refused with a clear error.
EVIDENCE_MAX_BYTES = env_int("EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)

# --- Email ------------------------------------------------------------------------
# Invitations to the team (a one-time link to set a password) go through Django's
# email backend. With DEBUG on, emails are printed to the console unless
# EMAIL_BACKEND says otherwise; in production they go by SMTP to EMAIL_HOST.
EMAIL_BACKEND = env_str("EMAIL_BACKEND") or (
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("EMAIL_HOST") or "localhost"
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured(
        "EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be true: set EMAIL_USE_TLS=false "
        "to use SSL (usually port 465)."
    )
# Seconds to wait for the mail server before the invitation is reported as not sent.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL") or "Improvement Tracker <noreply@localhost>"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# How long an invitation's set-password link works (Django's password reset tokens).
PASSWORD_RESET_TIMEOUT = env_int("SET_PASSWORD_LINK_DAYS", 3) * 24 * 60 * 60

# --- Reminders (reminders/, `manage.py send_reminders`, run daily) ---------------------
# The service's address as its users reach it, for the links in reminder emails, e.g.
# https://tracker.example.gov.uk. The command refuses to run without it.
SITE_URL = (env_str("SITE_URL") or ("http://127.0.0.1:8000" if DEBUG else "")).rstrip("/")
# The day weekly digests go out: managers' exceptions, and owners who chose weekly.
REMINDERS_WEEKLY_DAY = (env_str("REMINDERS_WEEKLY_DAY") or "monday").strip().lower()
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
if REMINDERS_WEEKLY_DAY not in _WEEKDAYS:
    raise ImproperlyConfigured(
        f"REMINDERS_WEEKLY_DAY must be a day of the week, like monday, not {REMINDERS_WEEKLY_DAY!r}"
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
}

# --- Security -----------------------------------------------------------------
# README.md ("Security") explains each of these.

# Sign-in throttling (django-axes): five failed sign-ins for one username from one
# address lock that pair out for 30 minutes, on the sign-in page and the admin's.
# The lock is per username and address, so a wrong guess from elsewhere cannot
# lock a colleague out of their own office; a success clears the count.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_LOCKOUT_MINUTES", 30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
# No banner on every start: it would be a second line on the commands' stderr.
AXES_VERBOSE = False

# Sessions end after a working day without activity: activity renews them, with one
# write a minute at most rather than one per request (config/sessions.py).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 8 * 60) * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
# No script reads the CSRF cookie (forms carry the token), so scripts may not see it.
CSRF_COOKIE_HTTPONLY = True

# Headers sent on every response, in development too.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content Security Policy (django-csp): our own files only, and no inline script or
# style anywhere, the admin included: Django 5.2's admin needs neither, so it has no
# exemption. (The one inline style left, a border on the paginator of
# django-simple-history's history list, is blocked harmlessly.) Pages load JavaScript
# from static/js/ and styles from static/; tests/security/test_csp_templates.py
# keeps inline scripts, styles and style="" attributes out of our templates.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
    }
}

# The audit trail is read, never replayed: changes to an action go through the
# services, so the admin's "revert to this version" is switched off.
SIMPLE_HISTORY_REVERT_DISABLED = True

if not DEBUG:
    # Production: HTTPS only. A TLS-terminating proxy in front must set
    # X-Forwarded-Proto and TRUST_X_FORWARDED_PROTO=true must be set here, or every
    # request looks like plain HTTP and is redirected forever.
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    # The container health check calls /healthz over plain HTTP inside the host.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = 31_536_000  # one year
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

if env_bool("TRUST_X_FORWARDED_PROTO", default=False):
    # Only behind a proxy that always sets (or overwrites) X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Forms render with GOV.UK Design System markup, error summary included.
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"
