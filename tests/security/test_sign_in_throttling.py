"""Sign-in throttling (django-axes): five failures lock one username at one address for 30 min."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from ..factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("axes_on")]

PASSWORD = "correct-horse-battery"  # UserFactory's


@pytest.fixture
def axes_on():
    # The suite runs with django-axes off (the test client's login() cannot pass it a
    # request); these tests are about it, so it is on.
    with override_settings(AXES_ENABLED=True):
        yield


@pytest.fixture
def user():
    return UserFactory(username="jo.bloggs")


def sign_in(client, password, username="jo.bloggs", url=None, **extra):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_lock_the_username_and_even_the_right_one_is_refused(client, user):
    for attempt in range(1, 5):
        response = sign_in(client, "wrong-password")
        assert response.status_code == 200, f"attempt {attempt} is an ordinary error"
        assert "Enter a correct username and password" in response.content.decode()

    fifth = sign_in(client, "wrong-password")
    assert fifth.status_code == 429, "the fifth failure locks"
    assert "account_locked.html" in [t.name for t in fifth.templates]

    sixth = sign_in(client, "wrong-password")
    assert sixth.status_code == 429
    page = sixth.content.decode()
    assert "<title>Too many sign-in attempts – Improvement Tracker</title>" in page
    assert "locked for 30 minutes" in page

    right = sign_in(client, PASSWORD)
    assert right.status_code == 429, "the right password is refused while locked"
    assert not signed_in(client)


def test_the_lock_is_for_that_username_from_that_address_only(client, user):
    other = UserFactory(username="sam.other")
    for _ in range(5):
        sign_in(client, "wrong-password")

    assert sign_in(client, PASSWORD, username=other.username).status_code == 302, (
        "a colleague at the same address can still sign in"
    )
    client.logout()
    assert sign_in(client, PASSWORD, REMOTE_ADDR="10.1.2.3").status_code == 302, (
        "the same user from another address can still sign in"
    )
    assert signed_in(client)


def test_the_lock_ends_after_30_minutes(client, user):
    for _ in range(5):
        sign_in(client, "wrong-password")
    assert sign_in(client, PASSWORD).status_code == 429

    # Half an hour and a minute pass.
    AccessAttempt.objects.update(attempt_time=timezone.now() - datetime.timedelta(minutes=31))

    assert sign_in(client, PASSWORD).status_code == 302
    assert signed_in(client)


def test_a_successful_sign_in_clears_earlier_failures(client, user):
    for _ in range(4):
        sign_in(client, "wrong-password")
    assert sign_in(client, PASSWORD).status_code == 302
    client.logout()

    for _ in range(4):
        assert sign_in(client, "wrong-password").status_code == 200, "counting starts again"


def test_the_admin_sign_in_is_throttled_too(client, user):
    url = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "wrong-password", url=url)
    assert sign_in(client, PASSWORD, url=url).status_code == 429
