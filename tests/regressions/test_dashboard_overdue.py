"""The dashboard counts and lists blocked actions that are past their due date as overdue.

The older tests' data had no blocked action past its due date, so the dashboard
could have counted only not-started and in-progress ones.
"""

import pytest
from django.urls import reverse

from actions.models import Action
from actions.rag import Status
from boards.dashboard import dashboard
from tests.factories import ActionFactory, FindingFactory

from .conftest import days, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(council, staff):
    finding = FindingFactory(inspection__council=council)
    make = lambda title, status, due, **extra: ActionFactory(  # noqa: E731
        finding=finding,
        owner=staff,
        title=title,
        status=status,
        due_date=days(due),
        percent_complete=100 if status == Status.DELIVERED else 20,
        **extra,
    )
    return {
        "blocked_late": make("Blocked and late", Status.BLOCKED, -5),
        "blocked_revised_late": make(
            "Blocked, revised, late", Status.BLOCKED, -40, revised_due_date=days(-2)
        ),
        "not_started_late": make("Not started and late", Status.NOT_STARTED, -3),
        "in_progress_late": make("In progress and late", Status.IN_PROGRESS, -8),
        # Not overdue: blocked but not yet due; delivered late; revised into the future.
        "blocked_not_due": make("Blocked, not due", Status.BLOCKED, 10),
        "delivered_late": make("Delivered late", Status.DELIVERED, -6),
        "revised_forward": make(
            "Revised forward", Status.IN_PROGRESS, -6, revised_due_date=days(20)
        ),
        "due_today": make("Due today", Status.IN_PROGRESS, 0),
    }


OVERDUE = {"blocked_late", "blocked_revised_late", "not_started_late", "in_progress_late"}


def test_the_overdue_count_includes_blocked_actions(council, plan, clock):
    board = dashboard(council)
    assert board.totals.overdue == len(OVERDUE)


def test_the_overdue_list_includes_blocked_actions(council, plan):
    board = dashboard(council)
    assert {a.pk for a in board.overdue_actions} == {plan[name].pk for name in OVERDUE}


def test_the_count_matches_the_overdue_queryset_and_is_overdue(council, plan):
    ours = Action.objects.for_council(council)
    assert {a.pk for a in ours.overdue()} == {plan[name].pk for name in OVERDUE}
    assert {name for name, a in plan.items() if a.is_overdue} == OVERDUE
    assert dashboard(council).totals.overdue == ours.overdue().count()


def test_the_page_shows_the_blocked_overdue_action(staff, plan):
    html = signed_in(staff).get(reverse("dashboard")).content.decode()
    assert reverse("action_detail", args=[plan["blocked_late"].pk]) in html
    assert "4</span> overdue actions" in html
    assert "4 actions are past their due date" in html
