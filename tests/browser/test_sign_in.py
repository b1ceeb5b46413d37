import pytest

from councils.models import Membership, Role, User

from .conftest import assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PASSWORD = "a-long-test-password-2026"


@pytest.fixture
def member():
    from councils.models import Council

    user = User.objects.create_user("jo.bloggs", "jo@example.org", PASSWORD, first_name="Jo")
    Membership.objects.create(
        user=user, council=Council.objects.get(dfe_la_code="873"), role=Role.STAFF
    )
    return user


def test_sign_in_page_is_accessible_and_shows_errors_in_a_summary(page, member):
    page.goto("/sign-in/")
    assert page.title() == "Sign in – Improvement Tracker"
    screenshot(page, "sign-in")

    page.get_by_role("button", name="Sign in").click()
    summary = page.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Enter your username" in summary.inner_text()
    assert page.title().startswith("Error: ")
    screenshot(page, "sign-in-errors")


def test_wrong_password_is_refused_with_a_clear_message(page, member):
    sign_in(page, "jo.bloggs", "not-the-password")
    assert (
        "Enter a correct username and password" in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)


def test_member_signs_in_to_their_council_and_signs_out(page, member):
    sign_in(page, "jo.bloggs", PASSWORD)
    assert "Cambridgeshire" in page.locator("header").inner_text()
    page.get_by_role("button", name="Sign out").click()
    page.goto("/")
    assert "/sign-in/" in page.url
