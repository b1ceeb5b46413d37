"""Settings for the test suite: the base settings, made fast and self-contained."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-with-enough-length-for-checks")

from .base import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests must not depend on collectstatic having been run.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = tempfile.mkdtemp(prefix="improvement-tracker-media-")
ALLOWED_HOSTS = ["*"]

# The suite runs with DEBUG off, so base.py has switched on the production HTTPS
# settings. The test client and the browser tests' live server speak plain HTTP:
# no redirect to HTTPS and no Secure-only cookies here. tests/security/ checks the
# production values themselves, in a subprocess with production's environment.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False

# Django's test client logs in by calling authenticate() without a request, which
# django-axes refuses. Sign-in throttling is off for the suite and switched on by
# the tests that are about it (tests/security/test_sign_in_throttling.py).
AXES_ENABLED = False
# Serve static files from the source folders: tests never run collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
