"""The command reads a fixed number of queries per council, however many actions it mentions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from actions.rag import Status
from councils.models import Role
from reminders.models import ReminderLog
from reminders.services import send_reminders
from tests.factories import CouncilFactory, FindingFactory

from .conftest import MONDAY, make_action, member

pytestmark = pytest.mark.django_db


def _council_with(actions_per_kind: int):
    """A council with an owner, a manager and `actions_per_kind` actions of each kind of
    exception (none old enough to escalate, so that every write is one per email)."""
    council = CouncilFactory()
    owner = member(council, Role.STAFF)
    member(council, Role.MANAGER)
    finding = FindingFactory(inspection__council=council)
    shapes = [
        {"due_in": -3},  # overdue
        {"due_in": 5},  # due soon
        {"due_in": 90, "updated_days_ago": 45},  # no update
        {"due_in": 90, "status": Status.DELIVERED},  # awaiting sign-off
        {"due_in": 90, "status": Status.BLOCKED},  # red
        {"due_in": 90},  # on track: in no email
    ]
    for shape in shapes:
        for _ in range(actions_per_kind):
            make_action(council, owner, day=MONDAY, finding=finding, **shape)
    return council


def _queries(dry_run: bool) -> int:
    with CaptureQueriesContext(connection) as queries:
        send_reminders(day=MONDAY, weekly_day="monday", dry_run=dry_run)
    return len(queries)


@pytest.mark.parametrize("dry_run", [True, False], ids=["dry run", "sending"])
def test_the_same_queries_for_a_few_actions_and_for_many(dry_run):
    _council_with(actions_per_kind=1)
    small = _queries(dry_run)

    # The first council's reminders are sent again too (its log is cleared), beside a
    # second council's with 15 times the actions, then a third's with as few as the first.
    ReminderLog.objects.all().delete()
    _council_with(actions_per_kind=15)
    two_councils = _queries(dry_run)
    ReminderLog.objects.all().delete()
    _council_with(actions_per_kind=1)
    three_councils = _queries(dry_run)

    per_council = two_councils - small
    assert per_council == three_councils - two_councils, (
        f"a council with 15 of each kind of action cost {per_council} queries, one with 1 of "
        f"each cost {three_councils - two_councils}: queries must not grow with the actions"
    )
    # Reading: the council's members and its actions. Sending: that, and for each of the
    # two emails (the owner's, the manager's) its log row in a transaction of its own.
    assert per_council <= (2 if dry_run else 2 + 2 * 6), f"{per_council} queries per council"


def test_planning_reads_two_queries_per_council():
    for _ in range(3):
        _council_with(actions_per_kind=4)

    assert _queries(dry_run=True) == 1 + 2 * 3 + 1, (
        "the councils, then each council's members and actions, and the day's log"
    )


def test_a_council_with_nothing_to_mention_costs_one_query():
    def quiet_council():
        council = CouncilFactory()
        make_action(council, member(council, Role.STAFF), day=MONDAY, due_in=90)

    quiet_council()
    one = _queries(dry_run=True)
    quiet_council()

    assert _queries(dry_run=True) == one + 1
