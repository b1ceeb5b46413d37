"""Reads for the action pages (actions/selectors.py) whose edges no page test pinned down.

Written for the mutation run (docs/testing.md).
"""

import pytest

from actions import selectors, services
from actions.rag import Status
from tests.factories import ActionFactory

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
