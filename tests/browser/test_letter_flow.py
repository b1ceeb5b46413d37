"""An admin adds a letter: paste it, check what was read, fix an error, save. axe on every step."""

import re

import pytest

from councils.models import Council, Role
from inspections.models import Inspection

from ..factories import MembershipFactory, UserFactory
from .conftest import FACTORY_PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# Our own letter, in the style of Ofsted's focused-visit letters.
LETTER = """\
Ofsted
Piccadilly Gate
Store Street
Manchester M1 2WD

3 September 2025

Director of Children's Services
Cambridgeshire County Council

Focused visit to Cambridgeshire children's services

This letter summarises the findings of the focused visit to Cambridgeshire children's services
on 8 July 2025 and 9 July 2025. His Majesty's Inspectors for this visit were Priya Lawson and
Mark Fenwick.

Inspectors looked at the local authority's arrangements for care leavers.

What needs to improve in this area of social work practice?
- The timeliness and quality of pathway plans, so that they are updated when young people's
  circumstances change.
- The range of suitable homes for care leavers aged 18 to 25.
- Personal advisers' caseloads, so that they have time to keep in touch with every young person.

Yours sincerely

Priya Lawson
His Majesty's Inspector
"""


@pytest.fixture
def admin_user(db):
    council = Council.objects.get(dfe_la_code="873")
    user = UserFactory(username="letter.admin", first_name="Alex", last_name="Morgan")
    MembershipFactory(user=user, council=council, role=Role.ADMIN)
    return user


def test_an_admin_adds_a_letter(page, admin_user):
    sign_in(page, admin_user.username, FACTORY_PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto("/inspections/")
    page.get_by_role("button", name="Add an inspection letter").click()
    page.wait_for_url(re.compile(r"/inspections/letters/new/$"))

    # Nothing given: the error summary says what to do.
    page.get_by_role("button", name="Read the letter").click()
    page.wait_for_load_state()
    assert (
        "Paste the letter's text or choose its file"
        in page.locator(".govuk-error-summary").inner_text()
    )
    screenshot(page, "30-letter-start-errors")

    page.get_by_label("Paste the letter's text").fill(LETTER)
    screenshot(page, "30b-letter-start")
    page.get_by_role("button", name="Read the letter").click()
    page.wait_for_url(re.compile(r"/inspections/letters/check/$"))
    assert page.locator("h1").inner_text() == "Check the letter's details"
    screenshot(page, "31-letter-check")
    assert not Inspection.objects.exists(), "nothing is written before the admin confirms"

    # A short title emptied: refused, with the error linked and nothing written.
    page.locator("#id_finding-0-short_title").fill("")
    page.get_by_role("button", name="Save the inspection").click()
    page.wait_for_load_state()
    summary = page.locator(".govuk-error-summary")
    assert "Finding 1: Enter a short title" in summary.inner_text()
    screenshot(page, "32-letter-check-errors")
    assert not Inspection.objects.exists()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_finding-0-short_title"

    page.locator("#id_finding-0-short_title").fill("Pathway plans")
    page.get_by_role("button", name="Save the inspection").click()
    page.wait_for_url(re.compile(r"/inspections/\d+/$"))
    inspection = Inspection.objects.get()
    assert inspection.kind == "focused_visit"
    assert inspection.findings.count() == 3
    assert "saved with 3 findings" in page.locator(".govuk-notification-banner").inner_text()
    screenshot(page, "33-letter-saved")
