"""Issue 7: admins correct a saved inspection in the service, with the letter review's rules."""

import datetime

import pytest
from django.urls import reverse

from actions.models import Action
from councils.models import Role
from inspections.models import Finding, Inspection, InspectionKind
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    UserFactory,
)
from tests.web_actions.conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(council):
    admin = UserFactory()
    MembershipFactory(user=admin, council=council, role=Role.ADMIN)
    return signed_in(admin)


@pytest.fixture
def inspection(council):
    inspection = InspectionFactory(
        council=council,
        kind=InspectionKind.STANDARD,
        start_date=datetime.date(2024, 3, 4),
        end_date=datetime.date(2024, 3, 15),
        published_on=datetime.date(2024, 5, 10),
    )
    JudgementFactory(inspection=inspection, area="overall_effectiveness", grade=3)
    FindingFactory(inspection=inspection, position=1, short_title="First", text="First text.")
    FindingFactory(inspection=inspection, position=2, short_title="Second", text="Second text.")
    return inspection


def url(inspection):
    return reverse("inspection_edit", args=[inspection.pk])


def submission(client, inspection, **changes):
    """The edit form as the page fills it, with some fields changed."""
    form = client.get(url(inspection)).context
    data = {}
    for bound in form["details"]:
        value = bound.value()
        if isinstance(value, list | tuple):
            for index, part in enumerate(value):
                data[f"{bound.html_name}_{index}"] = part or ""
        elif isinstance(value, datetime.date):
            for index, part in enumerate((value.day, value.month, value.year)):
                data[f"{bound.html_name}_{index}"] = str(part)
        else:
            data[bound.html_name] = "" if value is None else str(value)
    findings = form["findings"]
    for key, value in findings.management_form.initial.items():
        data[f"finding-{key}"] = value
    for finding_form in findings.forms:
        for bound in finding_form:
            value = bound.value()
            if isinstance(value, bool):
                if value:
                    data[bound.html_name] = "on"
            else:
                data[bound.html_name] = "" if value is None else str(value)
    data.update(changes)
    data["save"] = "1"
    return data


def test_only_admins_edit(inspection, staff, manager):
    for user in (staff, manager):
        assert signed_in(user).get(url(inspection)).status_code == 403


def test_another_councils_inspection_is_not_found(admin_client):
    other = InspectionFactory()
    assert admin_client.get(url(other)).status_code == 404
    assert admin_client.post(url(other), {}).status_code == 404


def test_the_inspection_page_offers_admins_the_edit(admin_client, inspection, staff):
    page = reverse("inspection_detail", args=[inspection.pk])
    assert url(inspection) in admin_client.get(page).content.decode()
    assert url(inspection) not in signed_in(staff).get(page).content.decode()


def test_an_edit_corrects_wording_order_and_grades(admin_client, inspection):
    first, second = inspection.findings.order_by("position")
    action = ActionFactory(finding=second)
    data = submission(
        admin_client,
        inspection,
        **{
            "letter-lead_inspector": "Ruth Ellison",
            "letter-grade_overall_effectiveness": "4",
            "finding-0-order": "2",
            "finding-1-order": "1",
            "finding-1-text": "Second text, corrected.",
        },
    )
    response = admin_client.post(url(inspection), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    inspection.refresh_from_db()
    assert inspection.lead_inspector == "Ruth Ellison"
    assert inspection.judgements.get().grade == 4
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.position, second.text) == (1, "Second text, corrected.")
    assert first.position == 2
    assert Action.objects.get(pk=action.pk).finding_id == second.pk, "actions stay with it"


def test_a_finding_can_be_added(admin_client, inspection):
    data = submission(
        admin_client,
        inspection,
        **{
            "finding-TOTAL_FORMS": "3",
            "finding-2-order": "3",
            "finding-2-text": "A third area.",
            "finding-2-short_title": "Third",
        },
    )
    assert admin_client.post(url(inspection), data).status_code == 302
    assert list(inspection.findings.order_by("position").values_list("short_title", flat=True)) == [
        "First",
        "Second",
        "Third",
    ]


def test_a_saved_finding_cannot_be_dropped(admin_client, inspection):
    data = submission(admin_client, inspection, **{"finding-TOTAL_FORMS": "1"})
    response = admin_client.post(url(inspection), data)
    assert response.status_code == 200
    assert "cannot be removed here" in response.content.decode()
    assert inspection.findings.count() == 2


def test_a_refused_edit_writes_nothing(admin_client, inspection):
    before = Inspection.objects.values().get(pk=inspection.pk)
    findings_before = list(Finding.objects.values())
    data = submission(
        admin_client,
        inspection,
        **{
            "letter-end_date_2": "2023",
            "finding-0-text": "Changed, but the form is refused.",
        },
    )
    response = admin_client.post(url(inspection), data)
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert Inspection.objects.values().get(pk=inspection.pk) == before
    assert list(Finding.objects.values()) == findings_before


def test_grades_go_when_the_kind_becomes_a_visit(admin_client, inspection):
    data = submission(
        admin_client,
        inspection,
        **{
            "letter-kind": "focused_visit",
            "letter-focus_theme": "care_leavers",
            "letter-grade_overall_effectiveness": "",
        },
    )
    assert admin_client.post(url(inspection), data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.kind == InspectionKind.FOCUSED_VISIT
    assert not inspection.judgements.exists()


def test_a_forged_finding_id_is_refused(admin_client, inspection):
    elsewhere = FindingFactory()
    data = submission(admin_client, inspection, **{"finding-0-finding_id": str(elsewhere.pk)})
    response = admin_client.post(url(inspection), data)
    assert response.status_code == 200
    elsewhere.refresh_from_db()
    assert elsewhere.inspection_id != inspection.pk
