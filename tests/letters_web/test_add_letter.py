"""Issue 7: an admin pastes or uploads a letter, checks what was read, and confirms.

Nothing is written before the confirmation; then the inspection, its grades and its
findings are saved together, or not at all.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from councils.models import Role
from inspections.letter_intake import SESSION_KEY
from inspections.models import Finding, Inspection, InspectionKind, Judgement, Theme
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    MembershipFactory,
    UserFactory,
)
from tests.web_actions.conftest import signed_in

pytestmark = pytest.mark.django_db

START = reverse("letter_start")
REVIEW = reverse("letter_review")

LETTER = """\
Testshire County Council
Inspection of children's social care services
Inspection dates: 4 March 2024 to 15 March 2024
Lead inspector: Ruth Ellison, His Majesty's Inspector

Judgement Grade
The impact of leaders on social work practice with children and families Requires improvement to be good
The experiences and progress of children who need help and protection Good
The experiences and progress of children in care Requires improvement to be good
The experiences and progress of care leavers Inadequate
Overall effectiveness Requires improvement to be good

What needs to improve?
- The quality and timeliness of pathway plans for care leavers.
- Management oversight and supervision of social workers' practice.
- The sufficiency of homes for children in care close to where they live.
"""  # noqa: E501


@pytest.fixture
def admin(council):
    user = UserFactory(first_name="Alex", last_name="Morgan")
    MembershipFactory(user=user, council=council, role=Role.ADMIN)
    return user


@pytest.fixture
def admin_client(admin):
    return signed_in(admin)


def review_form(**changes) -> dict:
    """A complete submission of the check page: a standard inspection with two findings."""
    data = {
        "letter-kind": "standard",
        "letter-focus_theme": "",
        "letter-visit_number": "",
        "letter-start_date_0": "4",
        "letter-start_date_1": "3",
        "letter-start_date_2": "2024",
        "letter-end_date_0": "15",
        "letter-end_date_1": "3",
        "letter-end_date_2": "2024",
        "letter-published_on_0": "10",
        "letter-published_on_1": "5",
        "letter-published_on_2": "2024",
        "letter-lead_inspector": "Ruth Ellison",
        "letter-ofsted_file_id": "",
        "letter-grade_impact_of_leaders": "3",
        "letter-grade_help_and_protection": "2",
        "letter-grade_children_in_care": "3",
        "letter-grade_care_leavers": "4",
        "letter-grade_overall_effectiveness": "3",
        "finding-TOTAL_FORMS": "2",
        "finding-INITIAL_FORMS": "2",
        "finding-MIN_NUM_FORMS": "0",
        "finding-MAX_NUM_FORMS": "30",
        "finding-0-order": "2",
        "finding-0-text": "Management oversight and supervision of social workers' practice.",
        "finding-0-short_title": "Management oversight",
        "finding-1-order": "1",
        "finding-1-text": "The quality and timeliness of pathway plans for care leavers.",
        "finding-1-short_title": "Pathway plans",
        "finding-1-is_priority_action": "on",
        "save": "1",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def read(client, text=LETTER):
    response = client.post(START, {"text": text})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == REVIEW
    return response


def test_only_admins_add_letters(council, staff, manager):
    for user in (staff, manager):
        client = signed_in(user)
        assert client.get(START).status_code == 403
        assert client.post(START, {"text": LETTER}).status_code == 403
        assert client.get(REVIEW).status_code == 403
        assert client.post(REVIEW, review_form()).status_code == 403
    assert not Inspection.objects.exists()


def test_the_inspections_list_offers_admins_the_page(admin_client, staff):
    assert START in admin_client.get(reverse("inspection_list")).content.decode()
    assert START not in signed_in(staff).get(reverse("inspection_list")).content.decode()


def test_nothing_given_is_an_error_in_the_summary(admin_client):
    response = admin_client.post(START, {"text": "  "})
    html = response.content.decode()
    assert "Paste the letter&#x27;s text or choose its file" in html
    assert "govuk-error-summary" in html
    assert SESSION_KEY not in admin_client.session


def test_reading_writes_nothing_and_shows_what_was_read(admin_client):
    read(admin_client)
    assert not Inspection.objects.exists()
    html = admin_client.get(REVIEW).content.decode()
    assert "Check the letter" in html
    assert "pathway plans for care leavers" in html
    assert "Nothing has been saved yet" in html


def test_confirming_saves_the_inspection_grades_and_findings_in_order(admin_client, council):
    read(admin_client)
    response = admin_client.post(REVIEW, review_form())
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection_detail", args=[inspection.pk])
    assert (inspection.council, inspection.kind) == (council, InspectionKind.STANDARD)
    assert inspection.lead_inspector == "Ruth Ellison"
    assert "What needs to improve?" in inspection.letter_text, "the letter is kept"
    findings = list(inspection.findings.order_by("position"))
    assert [f.short_title for f in findings] == ["Pathway plans", "Management oversight"]
    assert [f.position for f in findings] == [1, 2]
    assert findings[0].is_priority_action and not findings[1].is_priority_action
    grades = dict(Judgement.objects.filter(inspection=inspection).values_list("area", "grade"))
    assert grades == {
        "impact_of_leaders": 3,
        "help_and_protection": 2,
        "children_in_care": 3,
        "care_leavers": 4,
        "overall_effectiveness": 3,
    }
    assert SESSION_KEY not in admin_client.session, "the draft is gone once saved"
    page = admin_client.get(response["Location"]).content.decode()
    assert "saved with 2 findings" in page


def test_an_error_writes_nothing_and_keeps_what_was_typed(admin_client):
    read(admin_client)
    response = admin_client.post(
        REVIEW, review_form(**{"letter-end_date_2": "2023", "finding-0-short_title": "Kept"})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "<title>Error: " in html
    assert not Inspection.objects.exists()
    assert not Finding.objects.exists()
    assert 'value="Kept"' in html


def test_a_finding_error_is_linked_to_its_input(admin_client):
    read(admin_client)
    html = admin_client.post(REVIEW, review_form(**{"finding-1-text": ""})).content.decode()
    assert 'href="#id_finding-1-text"' in html
    assert "Finding 2: Enter the area for improvement in the letter" in html
    assert not Inspection.objects.exists()


def test_grades_on_a_visit_are_refused(admin_client):
    read(admin_client)
    html = admin_client.post(
        REVIEW,
        review_form(**{"letter-kind": "focused_visit", "letter-focus_theme": "care_leavers"}),
    ).content.decode()
    assert "is not graded" in html
    assert not Inspection.objects.exists()


def test_a_focused_visit_without_grades_is_saved(admin_client):
    read(admin_client)
    grades = {f"letter-grade_{area}": "" for area in (
        "impact_of_leaders", "help_and_protection", "children_in_care", "care_leavers",
        "overall_effectiveness",
    )}  # fmt: skip
    response = admin_client.post(
        REVIEW,
        review_form(
            **grades, **{"letter-kind": "focused_visit", "letter-focus_theme": "care_leavers"}
        ),
    )
    assert response.status_code == 302
    inspection = Inspection.objects.get()
    assert inspection.title == "Focused visit: care leavers"
    assert not inspection.judgements.exists()


def test_a_finding_can_be_removed(admin_client):
    read(admin_client)
    admin_client.post(REVIEW, review_form(**{"finding-0-remove": "on", "finding-0-text": ""}))
    assert list(Finding.objects.values_list("short_title", flat=True)) == ["Pathway plans"]


def test_another_finding_can_be_added(admin_client):
    read(admin_client)
    data = review_form()
    data.pop("save")
    response = admin_client.post(REVIEW, {**data, "add_finding": "1"})
    html = response.content.decode()
    assert "govuk-error-summary" not in html, "adding a finding is not a submission"
    assert 'name="finding-TOTAL_FORMS" value="3"' in html
    assert not Inspection.objects.exists()
    data.update(
        {
            "finding-TOTAL_FORMS": "3",
            "finding-2-order": "3",
            "finding-2-text": "Children's voices in their plans.",
            "finding-2-short_title": "Voice of the child",
            "save": "1",
        }
    )
    assert admin_client.post(REVIEW, data).status_code == 302
    assert Finding.objects.count() == 3


def test_an_earlier_finding_is_suggested_as_repeated(admin_client, council):
    earlier_visit = InspectionFactory(
        council=council, start_date=datetime.date(2021, 5, 10), end_date=datetime.date(2021, 5, 12)
    )
    earlier = FindingFactory(
        inspection=earlier_visit,
        text="The quality and timeliness of pathway plans for care leavers are not good enough.",
        short_title="Pathway plans",
    )
    read(admin_client)
    review = admin_client.get(REVIEW)
    forms = review.context["findings"].forms
    suggested = [form.initial.get("repeats") for form in forms]
    assert earlier.pk in suggested


def test_another_councils_finding_cannot_be_linked(admin_client, council):
    elsewhere = FindingFactory(inspection__council=CouncilFactory())
    read(admin_client)
    html = admin_client.post(
        REVIEW, review_form(**{"finding-0-repeats": str(elsewhere.pk)})
    ).content.decode()
    assert "Choose one of this council" in html
    assert not Inspection.objects.filter(council=council).exists()


def test_a_file_that_is_not_a_letter_is_a_clear_error(admin_client):
    fake = SimpleUploadedFile("letter.pdf", b"this is not a pdf", content_type="application/pdf")
    response = admin_client.post(START, {"letter_file": fake})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert SESSION_KEY not in admin_client.session


def test_the_check_page_without_a_letter_goes_back_to_the_start(admin_client):
    assert admin_client.get(REVIEW)["Location"] == START
    response = admin_client.post(REVIEW, review_form())
    assert response["Location"] == START
    assert not Inspection.objects.exists()


def test_a_chosen_theme_and_earlier_finding_are_saved(admin_client, council):
    earlier = FindingFactory(
        inspection=InspectionFactory(council=council, start_date=datetime.date(2021, 5, 10)),
        short_title="Pathway plans, 2021",
    )
    theme = Theme.objects.order_by("name").first()
    read(admin_client)
    response = admin_client.post(
        REVIEW,
        review_form(**{"finding-1-theme": str(theme.pk), "finding-1-repeats": str(earlier.pk)}),
    )
    assert response.status_code == 302
    saved = Finding.objects.get(inspection__council=council, position=1)
    assert (saved.theme, saved.repeats) == (theme, earlier)


def test_the_check_page_costs_the_same_queries_for_one_finding_or_many(admin_client):
    def count(areas: int) -> int:
        bullets = "\n".join(f"- Area number {n} of the council's practice." for n in range(areas))
        read(admin_client, LETTER.split("What needs")[0] + "What needs to improve?\n" + bullets)
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(REVIEW).status_code == 200
        return len(captured)

    assert count(1) == count(12)
