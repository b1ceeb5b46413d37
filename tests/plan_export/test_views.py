"""Who may download the plans, which inspections the council's workbook holds, and at what cost."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions import plan_columns
from actions.rag import Status
from councils.models import Role
from tests.factories import ActionFactory, FindingFactory, InspectionFactory
from tests.web.conftest import build_plan

from .helpers import is_finding_row, table, workbook_from

INSPECTION_URLS = ("/inspections/{pk}/plan.xlsx", "/inspections/{pk}/plan.csv")


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN])
@pytest.mark.parametrize("pattern", INSPECTION_URLS)
def test_every_member_may_download_the_plan(plan, member_of, role, pattern):
    response = member_of(plan.inspection.council, role).get(pattern.format(pk=plan.inspection.pk))
    assert response.status_code == 200


@pytest.mark.parametrize("pattern", INSPECTION_URLS)
def test_another_councils_inspection_is_not_found(staff_client, other_inspection, pattern):
    FindingFactory(inspection=other_inspection)
    response = staff_client.get(pattern.format(pk=other_inspection.pk))
    assert response.status_code == 404, "another council's plan is a 404, like a missing one"
    assert staff_client.get(pattern.format(pk=987654321)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [*(p.format(pk=1) for p in INSPECTION_URLS), "/plan.xlsx", "/actions/plan-template.xlsx"],
)
def test_signing_in_comes_first(client, db, url):
    response = client.get(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]


def test_the_councils_workbook_holds_its_open_plans_and_the_latest(
    council, staff, staff_client, other_inspection
):
    finished = InspectionFactory(council=council, start_date=datetime.date(2019, 5, 6))
    ActionFactory(finding__inspection=finished, status=Status.CANCELLED, owner=staff)
    open_old = InspectionFactory(
        council=council, monitoring_visit=True, start_date=datetime.date(2021, 2, 1)
    )
    ActionFactory(finding__inspection=open_old, status=Status.DELIVERED, owner=staff)
    latest = InspectionFactory(
        council=council, focused_visit=True, start_date=datetime.date(2025, 7, 1)
    )
    ActionFactory(finding__inspection=other_inspection, owner=staff)

    response = staff_client.get("/plan.xlsx")
    assert council.slug in response["Content-Disposition"]
    workbook = workbook_from(response)
    assert workbook.sheetnames == ["FV care leavers Jul 2025", "Monitoring visit 1 Feb 2021"], (
        "newest first: the latest (even with no actions) and the one with work to do; "
        "not the finished one, and nothing of another council's"
    )
    for sheet, inspection in zip(workbook.worksheets, (latest, open_old), strict=True):
        assert sheet["A1"].value == council.name
        assert sheet["A2"].value.startswith(inspection.title)
        assert [c.value for c in sheet[plan_columns.EXPORT_HEADER_ROW]] == list(
            plan_columns.HEADINGS
        )
        assert sheet.freeze_panes == f"A{plan_columns.EXPORT_HEADER_ROW + 1}"
        assert sheet.page_setup.orientation == "landscape"
    rows = table(workbook.worksheets[1])
    assert [r["status"].value for r in rows if not is_finding_row(r)] == [Status.DELIVERED.label]


def test_a_council_without_inspections_gets_a_workbook_saying_so(staff_client, council):
    workbook = workbook_from(staff_client.get("/plan.xlsx"))
    assert workbook.sheetnames == ["Action plan"]
    assert workbook.active["A2"].value.startswith("No inspections on record")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    return len(queries)


@pytest.mark.parametrize("url", [*INSPECTION_URLS, "/plan.xlsx"])
def test_the_same_number_of_queries_for_5_and_50_actions(council, staff, staff_client, url):
    small = build_plan(council, findings=1, actions_per_finding=5, owner=staff)
    small_url = url.format(pk=small.inspection.pk)
    small_count = _queries(staff_client, small_url)

    large = build_plan(
        council,
        findings=10,
        actions_per_finding=5,
        owner=staff,
        updates_per_action=2,
        start_date=datetime.date(2024, 9, 2),
    )
    large_count = _queries(staff_client, url.format(pk=large.inspection.pk))
    assert large_count == small_count, (
        f"{url}: {small_count} queries for 5 actions, {large_count} for 50"
    )
    # The session, the user, the membership, the inspections, their judgements, findings and
    # actions, and the session saved again.
    assert small_count <= 10


def test_links_on_the_inspection_page_and_dashboard(plan, staff_client):
    inspection = plan.inspection
    page = staff_client.get(f"/inspections/{inspection.pk}/").content.decode()
    assert f'href="/inspections/{inspection.pk}/plan.xlsx"' in page
    assert f'href="/inspections/{inspection.pk}/plan.csv"' in page
    dashboard = staff_client.get("/").content.decode()
    assert 'href="/plan.xlsx"' in dashboard
    assert 'href="/actions/plan-template.xlsx"' in dashboard
