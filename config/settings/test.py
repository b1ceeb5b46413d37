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
