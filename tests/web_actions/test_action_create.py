"""A manager adds an action to a finding, on the finding's own page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.models import Action
from councils.models import Role
from tests.factories import FindingFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def finding(council):
    return FindingFactory(inspection__council=council)


def _form(owner, **changes):
    data = {
        "title": "Recruit 25 foster carers",
        "description": "Through the regional fostering hub.",
        "success_measure": "25 households approved at panel.",
        "owner": str(owner.pk),
        "lead_service": "Fostering",
        "priority": "1",
        "start_date_0": "1",
        "start_date_1": "4",
        "start_date_2": "2027",
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": "2028",
    }
    data.update(changes)
    return data


def test_manager_adds_an_action_with_owner_dates_and_contributors(
    client, manager, staff, other_staff, finding
):
    client.force_login(manager)
    response = client.post(
        f"/actions/new/{finding.pk}/", _form(staff, contributors=[str(other_staff.pk)])
    )

    action = Action.objects.get(finding=finding)
    assert response.status_code == 302 and response["Location"] == f"/actions/{action.pk}/"
    assert (action.title, action.owner, action.priority) == ("Recruit 25 foster carers", staff, 1)
    assert str(action.due_date) == "2028-03-31" and str(action.start_date) == "2027-04-01"
    assert list(action.contributors.all()) == [other_staff]
    assert action.status == "not_started" and action.percent_complete == 0
    assert action.history.first().history_user == manager, "the audit trail names who added it"


def test_the_finding_page_offers_add_an_action_to_managers_only(client, manager, staff, finding):
    client.force_login(manager)
    assert "Add an action" in client.get(f"/inspections/findings/{finding.pk}/").content.decode()
    client.force_login(staff)
    assert (
        "Add an action" not in client.get(f"/inspections/findings/{finding.pk}/").content.decode()
    )


def test_staff_cannot_add_actions(client, staff, finding):
    client.force_login(staff)
    assert client.get(f"/actions/new/{finding.pk}/").status_code == 403
    assert client.post(f"/actions/new/{finding.pk}/", _form(staff)).status_code == 403
    assert not Action.objects.exists()


def test_another_councils_finding_is_not_found(client, manager, staff):
    elsewhere = FindingFactory()
    client.force_login(manager)
    assert client.get(f"/actions/new/{elsewhere.pk}/").status_code == 404
    assert client.post(f"/actions/new/{elsewhere.pk}/", _form(staff)).status_code == 404
    assert not Action.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, "Enter a title for the action"),
        ({"due_date_0": "", "due_date_1": "", "due_date_2": ""}, "Enter the due date"),
        ({"due_date_0": "31", "due_date_1": "2"}, "The due date must be a real date"),
        (
            {"due_date_2": "2026", "start_date_2": "2027"},
            "The due date must be on or after the start date",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_nothing_saved(
    client, manager, staff, finding, changes, message
):
    client.force_login(manager)
    response = client.post(f"/actions/new/{finding.pk}/", _form(staff, **changes))
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page and message in page, f"expected “{message}”"
    assert "<title>Error: " in page
    assert not Action.objects.exists()


def test_an_owner_from_another_council_is_refused(client, manager, finding):
    outsider = UserFactory()
    MembershipFactory(user=outsider, role=Role.STAFF)
    client.force_login(manager)
    response = client.post(f"/actions/new/{finding.pk}/", _form(outsider))
    assert "Choose an owner from this council" in response.content.decode()
    assert not Action.objects.exists()


def test_the_form_uses_the_same_queries_for_few_and_many_people(client, council, manager, finding):
    client.force_login(manager)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/actions/new/{finding.pk}/").status_code == 200
        return len(queries)

    few = count()
    for _ in range(30):
        MembershipFactory(council=council, role=Role.STAFF)
    assert count() == few
