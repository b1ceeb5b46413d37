"""Only the council's active members may own or contribute to its actions.

The forms offer only them, and the services refuse anyone else when called
directly: the older tests checked the forms' choices only, so a service that took
any user would have gone unnoticed.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import selectors, services
from actions.models import Action
from councils.models import Role
from tests.factories import FindingFactory

from .conftest import days, member, signed_in, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaver(council):
    """A member of the council whose account has been switched off."""
    return member(council, Role.STAFF, first_name="Lee", last_name="Leaver", is_active=False)


@pytest.fixture
def finding(council):
    return FindingFactory(inspection__council=council)


def owner_choices(client, url) -> set[str]:
    form = client.get(url).context["form"]
    return {str(user.pk) for user in form.fields["owner"].queryset}


# --- What the forms offer ---------------------------------------------------------------------


def test_council_people_are_its_active_members_only(council, staff, manager, leaver, outsider):
    people = set(selectors.council_people(council))
    assert {staff, manager} <= people
    assert leaver not in people and outsider not in people
    assert leaver in set(selectors.council_people(council, also=[leaver.pk]))


def test_the_add_form_does_not_offer_a_deactivated_member(manager, finding, leaver, staff):
    client = signed_in(manager)
    url = reverse("action_create", args=[finding.pk])
    choices = owner_choices(client, url)
    assert str(staff.pk) in choices
    assert str(leaver.pk) not in choices
    assert "Lee Leaver" not in client.get(url).content.decode()


def test_the_edit_form_does_not_offer_a_deactivated_member(manager, action, leaver, staff):
    client = signed_in(manager)
    url = reverse("action_edit", args=[action.pk])
    choices = owner_choices(client, url)
    assert str(staff.pk) in choices, "the current owner is offered"
    assert str(leaver.pk) not in choices
    assert "Lee Leaver" not in client.get(url).content.decode()


def test_the_add_form_refuses_a_deactivated_owner(manager, finding, leaver):
    response = signed_in(manager).post(
        reverse("action_create", args=[finding.pk]),
        {
            "title": "Recruit foster carers",
            "owner": str(leaver.pk),
            "priority": "2",
            "due_date_0": "31",
            "due_date_1": "3",
            "due_date_2": "2030",
        },
    )
    assert response.status_code == 200
    assert "Choose an owner from this council" in response.content.decode()
    assert not Action.objects.filter(finding=finding).exists()


# --- What the services accept -----------------------------------------------------------------


def create(finding, manager, owner, **extra):
    return services.action_create(
        finding=finding,
        title="Recruit foster carers",
        owner=owner,
        due_date=days(90),
        created_by=manager,
        **extra,
    )


def test_action_create_refuses_a_deactivated_owner(finding, manager, leaver):
    with pytest.raises(ValidationError):
        create(finding, manager, leaver)
    assert not Action.objects.filter(finding=finding).exists()


def test_action_create_refuses_a_deactivated_contributor(finding, manager, staff, leaver):
    with pytest.raises(ValidationError):
        create(finding, manager, staff, contributors=[leaver])
    assert not Action.objects.filter(finding=finding).exists()


def test_action_edit_refuses_a_deactivated_owner(action, manager, leaver):
    before = written(action)
    with pytest.raises(ValidationError):
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, owner=leaver
        )
    assert written(action) == before


def test_action_create_refuses_an_owner_from_another_council(finding, manager, outsider):
    with pytest.raises(ValidationError, match="is not a member of"):
        create(finding, manager, outsider)
    assert not Action.objects.filter(finding=finding).exists()


def test_action_create_refuses_a_contributor_from_another_council(
    finding, manager, staff, outsider
):
    with pytest.raises(ValidationError, match="is not a member of"):
        create(finding, manager, staff, contributors=[outsider])
    assert not Action.objects.filter(finding=finding).exists()


def test_action_edit_refuses_an_owner_from_another_council(action, manager, outsider):
    before = written(action)
    with pytest.raises(ValidationError) as caught:
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, owner=outsider
        )
    assert caught.value.messages == [
        f"{outsider} is not a member of {action.finding.inspection.council}, "
        "so cannot take on its actions."
    ]
    assert written(action) == before


def test_action_edit_refuses_a_deactivated_contributor(action, manager, leaver):
    before = written(action)
    with pytest.raises(ValidationError):
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, contributors=[leaver]
        )
    assert written(action) == before


def test_action_edit_refuses_a_contributor_from_another_council(action, manager, outsider):
    before = written(action)
    with pytest.raises(ValidationError, match="is not a member of"):
        services.action_edit(
            action=action,
            editor=manager,
            expected_version=action.version,
            contributors=[outsider],
        )
    assert written(action) == before


def test_action_edit_accepts_another_member_of_the_council(action, manager, other_staff):
    edited = services.action_edit(
        action=action,
        editor=manager,
        expected_version=action.version,
        owner=other_staff,
        contributors=[manager],
    )
    fresh = Action.objects.get(pk=action.pk)
    assert fresh.owner == other_staff == edited.owner
    assert list(fresh.contributors.all()) == [manager]
    assert fresh.version == action.version + 1
