"""Another council's finding is a 404 on the add-action page, for staff as for managers.

The older test signed in as a manager only; a page that checked the role first
would answer staff 403, which tells them the finding exists.
"""

import pytest
from django.urls import reverse

from actions.models import Action
from councils.models import Role
from tests.factories import FindingFactory

from .conftest import member, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def elsewhere(other_council):
    return FindingFactory(inspection__council=other_council)


def form(owner) -> dict:
    return {
        "title": "Recruit foster carers",
        "owner": str(owner.pk),
        "priority": "2",
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": "2030",
    }


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN])
@pytest.mark.parametrize("method", ["get", "post"])
def test_another_councils_finding_is_404_for_every_role(council, elsewhere, role, method):
    person = member(council, role)
    client = signed_in(person)
    response = getattr(client, method)(reverse("action_create", args=[elsewhere.pk]), form(person))
    assert response.status_code == 404
    assert not Action.objects.exists()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_missing_finding_is_the_same_404_for_staff(staff, elsewhere, method):
    client = signed_in(staff)
    missing = getattr(client, method)(reverse("action_create", args=[elsewhere.pk + 1000]))
    other = getattr(client, method)(reverse("action_create", args=[elsewhere.pk]))
    assert missing.status_code == other.status_code == 404


def test_staff_get_403_only_for_their_own_councils_finding(council, staff):
    finding = FindingFactory(inspection__council=council)
    client = signed_in(staff)
    assert client.get(reverse("action_create", args=[finding.pk])).status_code == 403
    assert client.post(reverse("action_create", args=[finding.pk]), form(staff)).status_code == 403
    assert not Action.objects.exists()
