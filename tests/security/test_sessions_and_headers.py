"""Sessions, sign-out and the security headers every response carries."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from config.sessions import RENEW_EVERY_SECONDS, RENEWED_KEY

from ..factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_session_ends_after_eight_hours_without_activity():
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST, "renewed once a minute, not every request"
    assert "config.sessions.RenewSessionMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY, "no script needs to read the CSRF cookie"


def _renewed_a_while_ago(client, seconds):
    session = client.session
    session[RENEWED_KEY] = int(time.time()) - seconds
    session.save()


def test_activity_after_a_minute_renews_the_session(client):
    user = UserFactory()
    client.force_login(user)
    _renewed_a_while_ago(client, RENEW_EVERY_SECONDS + 5)
    stored = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=stored.pk).update(expire_date=stored.expire_date - timedelta(hours=7))

    response = client.get(reverse("accessibility"))

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 8 * 60 * 60, "the eight hours start again"
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    renewed = Session.objects.get(pk=stored.pk).expire_date
    assert renewed > timezone.now() + timedelta(hours=7, minutes=59), (
        "and so does the stored expiry"
    )


def test_activity_within_the_minute_writes_nothing(client):
    client.force_login(UserFactory())
    client.get(reverse("accessibility"))  # renews now

    response = client.get(reverse("accessibility"))

    assert settings.SESSION_COOKIE_NAME not in response.cookies, "no cookie renewed"
    assert Session.objects.count() == 1


def test_a_session_idle_for_eight_hours_has_ended(client):
    client.force_login(UserFactory())
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_signed_out_visitor_gets_no_session(client):
    response = client.get(reverse("login"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not Session.objects.exists()


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
