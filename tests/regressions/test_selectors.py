"""Reads for the action pages (actions/selectors.py) whose edges no page test pinned down.

Written for the mutation run (docs/testing.md).
"""

import pytest

from actions import selectors, services
from actions.rag import Status
from councils.models import Role
from tests.factories import ActionFactory, FindingFactory, UserFactory

from .conftest import member

pytestmark = pytest.mark.django_db


def log(action, author, status, percent):
    services.log_progress(
        action=action, author=author, note="Update.", status=status, percent_complete=percent
    )


def test_percent_before_delivery_is_what_it_was_just_before_it_was_delivered(action, staff):
    log(action, staff, Status.IN_PROGRESS, 30)
    log(action, staff, Status.IN_PROGRESS, 60)
    log(action, staff, Status.DELIVERED, 100)
    log(action, staff, Status.DELIVERED, 100)  # delivered again: still from 60
    action.refresh_from_db()
    assert selectors.percent_before_delivery(action) == 60


def test_percent_before_delivery_can_be_99(action, staff):
    log(action, staff, Status.IN_PROGRESS, 99)
    log(action, staff, Status.DELIVERED, 100)
    action.refresh_from_db()
    assert selectors.percent_before_delivery(action) == 99


def test_percent_before_delivery_without_a_timeline_is_at_most_99(council, staff):
    delivered = ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        status=Status.DELIVERED,
        percent_complete=100,
    )
    assert selectors.percent_before_delivery(delivered) == 99
    started = ActionFactory(finding__inspection__council=council, owner=staff, percent_complete=45)
    assert selectors.percent_before_delivery(started) == 45


def test_the_action_page_counts_its_updates_and_saves(council, action, staff):
    fresh = selectors.action_for_page(council, action.pk)
    assert fresh.update_count == 0
    saves = fresh.save_count
    log(action, staff, Status.IN_PROGRESS, 10)
    log(action, staff, Status.IN_PROGRESS, 20)
    fresh = selectors.action_for_page(council, action.pk)
    assert fresh.update_count == 2
    assert fresh.save_count == saves + 2


def test_my_actions_are_owned_or_contributed_to_and_open_unless_asked(
    council, staff, other_staff, manager, clock
):
    finding = FindingFactory(inspection__council=council)
    owned = ActionFactory(finding=finding, owner=staff, title="owned")
    helping = ActionFactory(finding=finding, owner=other_staff, title="helping")
    helping.contributors.add(staff)
    ActionFactory(finding=finding, owner=other_staff, title="someone else's")
    closed = ActionFactory(finding=finding, owner=staff, title="closed")
    services.cancel(action=closed, manager=manager, reason="Replaced.")
    assert set(selectors.my_actions(council, staff, clock)) == {owned, helping}
    assert set(selectors.my_actions(council, staff, clock, include_closed=True)) == {
        owned,
        helping,
        closed,
    }


def test_the_owner_filter_offers_members_and_anyone_who_owns_an_action(council, staff):
    idle_member = member(council, Role.STAFF, first_name="Ida", last_name="Idle")
    former = UserFactory(first_name="Fay", last_name="Former")  # owns an action, left
    ActionFactory(finding__inspection__council=council, owner=former)
    ActionFactory(finding__inspection__council=council, owner=staff)
    stranger = member(FindingFactory().inspection.council, Role.STAFF)
    owners = set(selectors.council_owners(council))
    assert {idle_member, former, staff} <= owners
    assert stranger not in owners
