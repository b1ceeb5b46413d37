"""Who may log progress: the owner, a contributor or a manager, and no other staff.

The older test used an action with no contributors, so a rule such as "staff may
log progress when the action has any contributor" went unnoticed. Here the action
has a contributor who is someone else.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from actions import services
from actions.rag import Status
from councils.models import Role
from tests.factories import ActionFactory

from .conftest import member, signed_in, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(council):
    """A contributor to the action who is neither `staff` (its owner) nor `other_staff`."""
    return member(council, Role.STAFF, first_name="Cara", last_name="Contributor")


@pytest.fixture
def shared_action(action, colleague):
    action.contributors.add(colleague)
    return action


def test_staff_who_are_not_among_its_contributors_may_not_log_progress(
    shared_action, other_staff, colleague, staff, manager
):
    assert not services.can_log_progress(other_staff, shared_action)
    assert services.can_log_progress(colleague, shared_action)
    assert services.can_log_progress(staff, shared_action)
    assert services.can_log_progress(manager, shared_action)


def test_the_service_refuses_them_and_writes_nothing(shared_action, other_staff):
    before = written(shared_action)
    with pytest.raises(PermissionDenied):
        services.log_progress(
            action=shared_action,
            author=other_staff,
            note="Not mine to update.",
            status=Status.IN_PROGRESS,
            percent_complete=50,
        )
    assert written(shared_action) == before


def test_the_page_refuses_them_with_403_and_writes_nothing(shared_action, other_staff):
    before = written(shared_action)
    client = signed_in(other_staff)
    url = reverse("action_log_progress", args=[shared_action.pk])
    response = client.post(
        url, {"note": "Not mine.", "status": "in_progress", "percent_complete": "50"}
    )
    assert response.status_code == 403
    assert written(shared_action) == before
    page = client.get(reverse("action_detail", args=[shared_action.pk])).content.decode()
    assert url not in page, "the progress form is not offered to them"


def test_the_contributor_still_may(shared_action, colleague):
    update = services.log_progress(
        action=shared_action,
        author=colleague,
        note="Case audit done.",
        status=Status.IN_PROGRESS,
        percent_complete=30,
    )
    assert update.author == colleague


def test_a_contributor_to_another_action_may_not(council, action, staff, other_staff):
    elsewhere_in_plan = ActionFactory(finding=action.finding, owner=staff)
    elsewhere_in_plan.contributors.add(other_staff)
    assert not services.can_log_progress(other_staff, action)


def test_a_role_read_at_another_council_is_not_taken_for_the_actions(
    shared_action, other_staff, manager, django_assert_num_queries
):
    """A page passes the role it read at the current council to save a query; if that is
    not the action's council, the services read the role at the action's council instead."""
    from tests.factories import CouncilFactory

    elsewhere = CouncilFactory()
    said_admin_elsewhere = (elsewhere, Role.ADMIN)
    assert not services.can_manage(other_staff, shared_action, known_role=said_admin_elsewhere)
    assert not services.can_log_progress(
        other_staff, shared_action, known_role=said_admin_elsewhere
    )
    # At the action's own council the role given is used as it is, with no query.
    here = shared_action.finding.inspection.council
    with django_assert_num_queries(0):
        assert services.can_manage(manager, shared_action, known_role=(here, Role.MANAGER))
        assert not services.can_manage(manager, shared_action, known_role=(here, Role.STAFF))
