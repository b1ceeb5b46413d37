"""Everyone changes their own password in the service: the admin site is for superusers only."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

OLD, NEW = "correct-horse-battery", "a-brand-new-password-123"


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


def post(client, **fields):
    data = {"old_password": OLD, "new_password1": NEW, "new_password2": NEW, **fields}
    return client.post(reverse("change_password"), data)


def test_the_page_asks_for_the_current_password_first(client, person):
    response = client.get(reverse("change_password"))
    assert response.status_code == 200
    body = response.content.decode()
    assert body.index('name="old_password"') < body.index('name="new_password1"')


def test_a_new_password_keeps_them_signed_in_and_says_so(client, person):
    response = post(client)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.check_password(NEW)
    page = client.get(response["Location"])
    assert page.status_code == 200, "still signed in"
    assert "Your password has been changed." in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"old_password": "wrong"}, "Your current password is wrong. Enter it again."),
        ({"old_password": ""}, "Enter your current password"),
        ({"new_password2": "something-else-entirely"}, "The two passwords do not match"),
        ({"new_password1": "short", "new_password2": "short"}, "This password is too short"),
    ],
)
def test_a_refused_change_shows_the_error_summary_and_changes_nothing(
    client, person, fields, message
):
    response = post(client, **fields)
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body and message in body
    assert response.context["form"].errors
    assert "<title>Error: " in body
    person.refresh_from_db()
    assert person.check_password(OLD)


def test_signed_out_people_are_sent_to_sign_in(client):
    response = client.get(reverse("change_password"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
