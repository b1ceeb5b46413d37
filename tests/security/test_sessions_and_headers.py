"""Sessions, sign-out and the security headers every response carries."""

import pytest
from django.conf import settings
from django.urls import reverse

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_eight_hours_without_activity():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST, "each request renews the session"
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY, "no script needs to read the CSRF cookie"


def test_every_request_renews_the_session_cookie(client):
    client.force_login(UserFactory())

    response = client.get(reverse("accessibility"))

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 60 * 60, "the eight hours start again"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_sign_out_is_a_post_only(client):
    client.force_login(UserFactory())

    assert client.get(reverse("logout")).status_code == 405, "a link or image cannot sign you out"
    assert "_auth_user_id" in client.session
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    policy = dict(
        (directive.split(" ", 1) + [""])[:2]
        for directive in (part.strip() for part in response["Content-Security-Policy"].split(";"))
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'", "no inline script, no other origin"
    assert policy["style-src"] == "'self'", "no inline style, no other origin"
    assert policy["img-src"] == "'self' data:"
    assert policy["form-action"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"


def test_the_admin_carries_the_same_policy(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:index"))

    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_pages_cannot_be_framed_sniffed_or_leak_their_address(client):
    response = client.get(reverse("login"))

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
