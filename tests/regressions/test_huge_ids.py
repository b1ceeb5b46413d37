"""An id too large for the database is a refused choice on the action forms, never an error.

Found by the fuzz tests once they checked what each accepted form wrote: on SQLite
(`make run`, and `make test` without DATABASE_URL) a contributor id beyond 64 bits
made the add and edit forms fail with a server error, where PostgreSQL compares it
and finds no one. The owner and contributor fields now refuse any value that cannot
be an id before looking it up.
"""

import pytest
from django.urls import reverse

from actions.models import Action
from tests.factories import FindingFactory

from .conftest import signed_in, written

pytestmark = pytest.mark.django_db

HUGE = ["9223372036854775808", "99999999999999999999", "-9223372036854775809"]


def form(owner, **changes) -> dict:
    return {
        "title": "Recruit foster carers",
        "owner": str(owner.pk),
        "priority": "2",
        "due_date_0": "31",
        "due_date_1": "3",
        "due_date_2": "2030",
        **changes,
    }


@pytest.mark.parametrize("value", HUGE)
def test_add_form_refuses_a_huge_contributor_id(council, manager, staff, value):
    finding = FindingFactory(inspection__council=council)
    response = signed_in(manager).post(
        reverse("action_create", args=[finding.pk]), form(staff, contributors=value)
    )
    assert response.status_code == 200
    assert "Choose contributors from this council" in response.content.decode()
    assert not Action.objects.filter(finding=finding).exists()


@pytest.mark.parametrize("value", HUGE)
def test_edit_form_refuses_a_huge_contributor_id(action, manager, staff, value):
    before = written(action)
    response = signed_in(manager).post(
        reverse("action_edit", args=[action.pk]),
        form(staff, contributors=value, version=str(action.version)),
    )
    assert response.status_code == 200
    assert "Choose contributors from this council" in response.content.decode()
    assert written(action) == before


@pytest.mark.parametrize("value", HUGE)
def test_add_form_refuses_a_huge_owner_id(council, manager, value):
    finding = FindingFactory(inspection__council=council)
    response = signed_in(manager).post(
        reverse("action_create", args=[finding.pk]),
        {**form(manager), "owner": value},
    )
    assert response.status_code == 200
    assert "Choose an owner from this council" in response.content.decode()
    assert not Action.objects.filter(finding=finding).exists()
