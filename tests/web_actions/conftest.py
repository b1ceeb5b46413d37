"""Fixtures for the action pages: a council with people and a plan, and another council.

The council, its people (staff, other_staff, manager, second_manager) and `action`
(owned by staff) come from tests/conftest.py.
"""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from actions.rag import Status
from councils.models import Role
from tests.factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    UserFactory,
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def other_staff_client(other_staff):
    return signed_in(other_staff)


@pytest.fixture
def manager_client(manager):
    return signed_in(manager)


@pytest.fixture
def inspection(council):
    return InspectionFactory(council=council)


@pytest.fixture
def finding(inspection):
    return FindingFactory(inspection=inspection, short_title="Pathway plans")


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Elsewhere")


@pytest.fixture
def other_action(other_council):
    """An action at another council, which no one at `council` may see."""
    outsider = UserFactory()
    MembershipFactory(user=outsider, council=other_council, role=Role.MANAGER)
    return ActionFactory(
        finding__inspection__council=other_council, owner=outsider, title="Elsewhere's action"
    )


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def make_actions(finding, owner, count: int, **fields):
    """`count` actions on one finding, with updates, varied enough to exercise every column."""
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED, Status.DELIVERED]
    made = []
    for i in range(count):
        status = statuses[i % len(statuses)]
        action = ActionFactory(
            finding=finding,
            owner=owner,
            status=status,
            percent_complete=100 if status == Status.DELIVERED else (i * 7) % 100,
            due_date=days(-30 + i * 3),
            lead_service="Leaving care",
            **fields,
        )
        ProgressUpdateFactory(
            action=action, author=owner, status=status, percent_complete=action.percent_complete
        )
        made.append(action)
    return made


def titles(response) -> list[str]:
    """The titles of the actions a list page shows, in order."""
    return [action.title for action in response.context["actions"]]


def count_queries(client, url: str, method: str = "get", **kwargs) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, **kwargs)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    assert response.status_code in (200, 302), response.status_code
    return len(queries)
