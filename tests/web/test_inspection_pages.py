"""The inspections list and an inspection's page."""

import datetime

import pytest
from django.urls import reverse

from inspections.frameworks import Grade, JudgementArea
from inspections.models import InspectionKind
from tests.factories import FindingFactory, InspectionFactory, JudgementFactory

from .conftest import build_plan, count_queries, signed_in

pytestmark = pytest.mark.django_db
LIST = reverse("inspection_list")


def detail(inspection) -> str:
    return reverse("inspection_detail", args=[inspection.pk])


# --- The list ------------------------------------------------------------------------


def test_list_requires_sign_in(client):
    response = client.get(LIST)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_list_shows_the_councils_inspections_only(staff_client, council, other_council):
    ours = build_plan(council, findings=2, actions_per_finding=2)
    theirs = InspectionFactory(council=other_council, start_date=datetime.date(2023, 5, 1))
    response = staff_client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Inspections – Improvement Tracker</title>" in html
    assert response.context["nav_section"] == "inspections"
    assert detail(ours.inspection) in html
    assert detail(theirs) not in html, "another council's inspection must not be listed"
    row = response.context["inspections"][0]
    assert row.worst_grade_label == "Inadequate"
    assert row.summary.action_count == 4
    assert "app-progress__fill" in html and "govuk-tag" in html


def test_empty_list_says_what_to_do_next(staff_client):
    html = staff_client.get(LIST).content.decode()
    assert "No inspections yet. Your council's admins add each letter Ofsted sends" in html


@pytest.fixture
def three_inspections(council):
    standard = InspectionFactory(council=council, start_date=datetime.date(2024, 3, 4))
    JudgementFactory(inspection=standard, area=JudgementArea.CARE_LEAVERS, grade=Grade.INADEQUATE)
    short = InspectionFactory(
        council=council, kind=InspectionKind.SHORT, start_date=datetime.date(2023, 2, 6)
    )
    JudgementFactory(inspection=short, area=JudgementArea.CARE_LEAVERS, grade=Grade.GOOD)
    visit = InspectionFactory(
        council=council, focused_visit=True, start_date=datetime.date(2025, 7, 1)
    )
    return standard, short, visit


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("kind=focused_visit", {"visit"}),
        ("kind=standard", {"standard"}),
        ("year=2023", {"short"}),
        ("grade=4", {"standard"}),
        ("grade=2", {"short"}),
        ("kind=standard&year=2023", set()),
        ("", {"standard", "short", "visit"}),
    ],
)
def test_filters(staff_client, three_inspections, query, expected):
    names = dict(zip(("standard", "short", "visit"), three_inspections, strict=True))
    response = staff_client.get(f"{LIST}?{query}")
    assert response.status_code == 200
    shown = {inspection.pk for inspection in response.context["inspections"]}
    assert shown == {names[n].pk for n in expected}, f"?{query} showed the wrong inspections"


def test_year_choices_come_from_the_councils_inspections(staff_client, three_inspections):
    form = staff_client.get(LIST).context["filter"].form
    assert [value for value, _ in form.fields["year"].choices] == ["", 2025, 2024, 2023]


def test_a_bad_filter_value_is_explained_not_a_crash(staff_client, three_inspections):
    response = staff_client.get(f"{LIST}?year=1999&kind=nonsense")
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "<title>Error: Inspections" in html
    assert "Choose a year from the list" in html and "Choose a type of inspection" in html


def test_no_match_says_so(staff_client, three_inspections):
    html = staff_client.get(f"{LIST}?kind=jtai").content.decode()
    assert "No inspections match your filters" in html


def test_pagination_keeps_the_filters(staff_client, council):
    for n in range(25):
        InspectionFactory(council=council, start_date=datetime.date(2000 + n % 20, 1 + n % 12, 1))
    first = staff_client.get(f"{LIST}?kind=standard")
    assert len(first.context["inspections"]) == 20
    html = first.content.decode()
    assert 'class="govuk-pagination"' in html
    assert 'href="?kind=standard&amp;page=2"' in html, "the next page link keeps the filter"
    second = staff_client.get(f"{LIST}?kind=standard&page=2")
    assert len(second.context["inspections"]) == 5
    assert "(page 2 of 2)" in second.content.decode()


def test_list_query_count_does_not_grow(council, manager):
    client = signed_in(manager)
    build_plan(council, findings=2, actions_per_finding=2, owner=manager)
    small, _ = count_queries(client, LIST)
    for year in range(2018, 2026):
        build_plan(
            council,
            findings=3,
            actions_per_finding=4,
            updates_per_action=2,
            start_date=datetime.date(year, 6, 2),
        )
    InspectionFactory(council=council, focused_visit=True, start_date=datetime.date(2025, 7, 1))
    large, sql = count_queries(client, LIST)
    assert large == small, f"the list ran {small} queries, then {large}:\n" + "\n".join(sql)
    paged, _ = count_queries(client, f"{LIST}?kind=standard&page=1")
    assert paged == small


# --- One inspection ------------------------------------------------------------------


def test_detail_requires_sign_in(client, council):
    inspection = InspectionFactory(council=council)
    response = client.get(detail(inspection))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_another_councils_inspection_is_not_found(staff_client, other_inspection):
    assert staff_client.get(detail(other_inspection)).status_code == 404


def test_detail_shows_the_letter_and_its_findings(staff_client, council):
    plan = build_plan(council, findings=3, actions_per_finding=2)
    inspection = plan.inspection
    inspection.ofsted_file_id = "50285468"
    inspection.letter_text = "Dear Director,\n\nThis letter summarises the findings."
    inspection.save()
    response = staff_client.get(detail(inspection))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Standard inspection, March 2024 – Improvement Tracker</title>" in html
    assert "https://files.ofsted.gov.uk/v1/file/50285468" in html
    assert "Helen Carter" in html, "the lead inspector is shown"
    assert "ILACS (January 2023 to March 2026)" in html, "the framework is shown"
    assert 'class="govuk-details' in html and "This letter summarises the findings." in html
    areas = [judgement.area for judgement in response.context["judgements"]]
    assert areas[0] == JudgementArea.IMPACT_OF_LEADERS, "grades in the framework's order"
    assert areas[-1] == JudgementArea.OVERALL_EFFECTIVENESS
    for finding in plan.findings:
        assert reverse("finding_detail", args=[finding.pk]) in html
    assert f"{reverse('action_list')}?inspection={inspection.pk}" in html
    assert f"{reverse('action_list')}?finding={plan.findings[0].pk}" in html


def test_sif_inspection_uses_its_own_wording(staff_client, council):
    inspection = InspectionFactory(council=council, start_date=datetime.date(2016, 5, 9))
    JudgementFactory(
        inspection=inspection, area=JudgementArea.SIF_LEADERSHIP, grade=Grade.REQUIRES_IMPROVEMENT
    )
    response = staff_client.get(detail(inspection))
    assert [j.grade_label for j in response.context["judgements"]] == ["Requires improvement"]


def test_ungraded_visit_without_findings_says_so(staff_client, council):
    visit = InspectionFactory(council=council, monitoring_visit=True)
    html = staff_client.get(detail(visit)).content.decode()
    assert "A monitoring visit is not graded." in html
    assert "No findings recorded yet." in html
    assert "No copy of the letter is kept here." in html


def test_detail_query_count_does_not_grow(council, manager):
    client = signed_in(manager)
    small_plan = build_plan(council, findings=2, actions_per_finding=2, owner=manager)
    small, _ = count_queries(client, detail(small_plan.inspection))
    large_plan = build_plan(
        council,
        findings=10,
        actions_per_finding=6,
        updates_per_action=3,
        start_date=datetime.date(2025, 1, 13),
    )
    FindingFactory(inspection=large_plan.inspection, position=11, theme=None)
    large, sql = count_queries(client, detail(large_plan.inspection))
    assert large == small, f"the page ran {small} queries, then {large}:\n" + "\n".join(sql)
