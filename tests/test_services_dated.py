"""Every timeline-writing service takes the date it happened, for imports of dated plans."""

import datetime

import pytest

from actions import services
from actions.rag import Status

pytestmark = pytest.mark.django_db

WHEN = datetime.datetime(2025, 1, 15, 10, 0, tzinfo=datetime.UTC)


def _delivered(action, staff):
    services.log_progress(
        action=action, author=staff, note="Done.", status=Status.DELIVERED, percent_complete=100
    )


def test_send_back_at_a_date(action, staff, manager):
    _delivered(action, staff)
    update = services.send_back(action=action, manager=manager, reason="Gaps.", recorded_at=WHEN)
    assert update.created_at == WHEN


def test_revise_due_date_at_a_date(action, manager):
    update = services.revise_due_date(
        action=action,
        manager=manager,
        revised_due_date=action.due_date + datetime.timedelta(days=30),
        reason="Recruitment slipped.",
        recorded_at=WHEN,
    )
    assert update.created_at == WHEN


def test_cancel_and_reopen_at_dates(action, manager):
    later = WHEN + datetime.timedelta(days=3)
    assert services.cancel(action=action, manager=manager, reason="Merged.", recorded_at=WHEN)
    update = services.reopen(action=action, manager=manager, reason="Needed.", recorded_at=later)
    assert action.updates.order_by("created_at").first().created_at == WHEN
    assert update.created_at == later
