"""A manager brings a spreadsheet plan in: upload, columns, problems, a corrected file, import.

axe checks every step at desktop and phone widths (screenshot() does both).
"""

import re

import pytest

from actions.models import Action
from councils.models import Council, Role
from tests.plan_import.conftest import COUNCIL_HEADINGS, council_row, xlsx_bytes

from ..factories import FindingFactory, InspectionFactory, MembershipFactory, UserFactory
from .conftest import FACTORY_PASSWORD, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def setting(db):
    council = Council.objects.get(dfe_la_code="873")
    manager = UserFactory(username="import.manager", first_name="Sarah", last_name="Okafor")
    MembershipFactory(user=manager, council=council, role=Role.MANAGER)
    staff = UserFactory(username="import.staff", first_name="Priya", last_name="Shah")
    MembershipFactory(user=staff, council=council, role=Role.STAFF)
    inspection = InspectionFactory(council=council)
    FindingFactory(inspection=inspection, position=1, short_title="Supervision")
    FindingFactory(inspection=inspection, position=2, short_title="Pathway plans")
    return {"manager": manager, "inspection": inspection}


def plan(*rows) -> dict:
    content = xlsx_bytes([COUNCIL_HEADINGS, *rows], title_rows=["Our improvement plan", ""])
    return {"name": "improvement-plan.xlsx", "mimeType": XLSX, "buffer": content}


def test_a_manager_imports_a_spreadsheet_plan(page, setting):
    inspection = setting["inspection"]
    sign_in(page, setting["manager"].username, FACTORY_PASSWORD)
    page.wait_for_url(re.compile(r"/$"))
    page.goto(f"/inspections/{inspection.pk}/")
    page.get_by_role("link", name="Import actions from a spreadsheet").click()
    page.wait_for_url(re.compile(rf"/inspections/{inspection.pk}/import/$"))

    # No file: the error summary says so and links to the input.
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state()
    assert "Choose the action plan's file" in page.locator(".govuk-error-summary").inner_text()
    screenshot(page, "40-plan-import-upload-errors")

    rows = [
        council_row(update="Three audits done.", updated="30/04/2025"),
        council_row(number=2, action="Review pathway plans", owner="Jo Bloggs", due="31/02/2026"),
    ]
    page.get_by_label("Upload the action plan").set_input_files(plan(*rows))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/import/columns/$"))
    assert page.locator("h1").inner_text() == "Choose the plan's columns"
    assert page.get_by_label("Owner", exact=True).input_value() == "3", "guessed: Lead officer"
    screenshot(page, "41-plan-import-columns")
    page.get_by_role("button", name="Check the plan").click()

    page.wait_for_url(re.compile(r"/import/check/$"))
    summary = page.locator(".govuk-error-summary")
    text = summary.inner_text()
    assert "Row 5, Lead officer: “Jo Bloggs” is not a member of" in text
    assert "Row 5, Deadline: “31/02/2026” is not a date" in text
    assert page.get_by_role("button", name=re.compile("^Import")).count() == 0
    screenshot(page, "42-plan-import-problems")
    summary.get_by_role("link").first.click()
    assert page.url.endswith("#problem-1")
    assert not Action.objects.exists(), "nothing is written while there are problems"

    # A corrected file: the columns chosen are remembered, so straight to the check.
    page.get_by_role("link", name="Upload a corrected file").click()
    rows[1] = council_row(number=2, action="Review pathway plans", due="28/02/2026")
    page.get_by_label("Upload the action plan").set_input_files(plan(*rows))
    page.get_by_role("button", name="Upload and check").click()
    page.wait_for_url(re.compile(r"/import/columns/$"))
    page.get_by_role("button", name="Check the plan").click()
    page.wait_for_url(re.compile(r"/import/check/$"))
    assert page.locator(".govuk-error-summary").count() == 0
    screenshot(page, "43-plan-import-check")

    page.get_by_role("button", name="Import 2 actions").click()
    page.wait_for_url(re.compile(rf"/inspections/{inspection.pk}/$"))
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert "2 actions imported under 2 findings (0 new), with 2 timeline entries" in banner
    screenshot(page, "44-plan-import-done")
    assert Action.objects.filter(finding__inspection=inspection).count() == 2
