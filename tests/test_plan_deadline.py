"""Issue 7, point 4: the action plan is due 70 English working days after publication."""

import datetime

import pytest
from django.urls import reverse

from inspections.deadlines import plan_deadline, working_days_after
from tests.factories import FindingFactory, InspectionFactory
from tests.web_actions.conftest import signed_in

D = datetime.date


@pytest.mark.parametrize(
    ("start", "count", "expected"),
    [
        (D(2026, 12, 18), 5, D(2026, 12, 29)),  # Christmas, and Boxing Day moved to Monday 28th
        (D(2024, 5, 10), 20, D(2024, 6, 10)),  # the late May bank holiday on the 27th
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # the coronation's extra bank holiday, Monday 8th
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday to Monday
        (D(2026, 3, 7), 0, D(2026, 3, 7)),
    ],
)
def test_working_days_skip_weekends_and_english_bank_holidays(start, count, expected):
    assert working_days_after(start, count) == expected


def test_scottish_holidays_do_not_count():
    # 2 January is a bank holiday in Scotland, not in England.
    assert working_days_after(D(2026, 1, 1), 1) == D(2026, 1, 2)


def test_plan_and_early_draft_deadlines():
    deadline = plan_deadline(D(2024, 5, 10), has_priority_actions=True)
    assert deadline.plan_due == D(2024, 8, 19)
    assert deadline.early_draft_due == D(2024, 6, 10)
    assert plan_deadline(D(2024, 5, 10), has_priority_actions=False).early_draft_due is None
    assert plan_deadline(None, has_priority_actions=True) is None


@pytest.mark.django_db
def test_the_inspection_page_and_dashboard_show_the_deadline(council, staff):
    inspection = InspectionFactory(council=council, published_on=D(2024, 5, 10))
    FindingFactory(inspection=inspection, is_priority_action=True)
    client = signed_in(staff)
    page = client.get(reverse("inspection_detail", args=[inspection.pk])).content.decode()
    assert "Action plan due to Ofsted" in page
    assert "19 August 2024" in page
    assert "Early draft due 10 June 2024" in page
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "19 August 2024" in dashboard


@pytest.mark.django_db
def test_an_unpublished_report_says_when_the_plan_will_be_due(council, staff):
    inspection = InspectionFactory(council=council, published_on=None)
    page = signed_in(staff).get(reverse("inspection_detail", args=[inspection.pk]))
    assert "70 working days after the report is published" in page.content.decode()
