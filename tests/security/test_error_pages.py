"""Error pages in the service's style, with the right status, and no stack traces (DEBUG off)."""

import pytest
from django.template.loader import render_to_string
from django.test import Client

from ..factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls("tests.security.error_urls"),
]


def title(response) -> str:
    page = response.content.decode()
    return page.split("<title>", 1)[1].split("</title>", 1)[0].strip()


@pytest.fixture
def client():
    # Like a browser: failures come back as pages, not as exceptions in the test.
    return Client(raise_request_exception=False)


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/fail/400/", 400, "Sorry, there is a problem with your request"),
        ("/fail/403/", 403, "You do not have permission to do that"),
        ("/no-such-page/", 404, "Page not found"),
        ("/fail/500/", 500, "Sorry, there is a problem with the service"),
    ],
)
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_error_page(client, url, status, heading, signed_in):
    if signed_in:
        client.force_login(UserFactory())

    response = client.get(url)

    assert response.status_code == status
    assert title(response) == f"{heading} – Improvement Tracker"
    page = response.content.decode()
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in page
    assert "govuk/application.css" in page, "styled like the rest of the service"
    for secret in ("Traceback", "secret detail", "on purpose", "Only a manager", "URLconf"):
        assert secret not in page, f"the error page gives away {secret!r}"


def test_the_500_page_needs_no_database_and_no_request(django_assert_num_queries):
    with django_assert_num_queries(0):
        page = render_to_string("500.html")
    assert "Sorry, there is a problem with the service" in page


def test_a_refused_form_says_to_try_again():
    client = Client(enforce_csrf_checks=True)

    response = client.post("/sign-in/", {"username": "someone", "password": "x"})

    assert response.status_code == 403
    assert title(response) == "Sorry, you need to try again – Improvement Tracker"
