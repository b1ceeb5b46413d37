"""Fixtures for the dashboard, inspection and finding pages.

The council and its people (staff, manager, ...) come from tests/conftest.py;
here: signed-in clients, another council with its own plan, and build_plan(),
which makes a plan of any size so the query-count tests can compare a small
plan with a large one.
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.rag import Status
from councils.models import Role
from inspections.frameworks import Grade, JudgementArea
from inspections.models import Finding, Inspection
from tests.factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    JudgementFactory,
    MembershipFactory,
    ProgressUpdateFactory,
    ThemeFactory,
    UserFactory,
)


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def count_queries(client: Client, url: str) -> tuple[int, list[str]]:
    """Fetch `url` and return how many SQL queries it ran (and the SQL, for messages)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def manager_client(manager):
    return signed_in(manager)


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Elsewhere")


@pytest.fixture
def other_inspection(other_council):
    return InspectionFactory(council=other_council)


@pytest.fixture
def other_finding(other_inspection):
    return FindingFactory(inspection=other_inspection, short_title="Elsewhere's finding")


# Every status and RAG colour, in turn: (status, percent, due in days, revised due in days).
ACTION_SHAPES = [
    (Status.IN_PROGRESS, 40, 60, None),  # green
    (Status.IN_PROGRESS, 20, -12, None),  # red: overdue
    (Status.NOT_STARTED, 0, 7, None),  # amber: due soon
    (Status.BLOCKED, 30, 90, None),  # red: blocked
    (Status.DELIVERED, 100, 20, None),  # amber: awaiting sign-off
    (Status.COMPLETE, 100, -40, None),  # blue
    (Status.IN_PROGRESS, 60, -10, 25),  # revised: amber, due within 30 days
    (Status.CANCELLED, 10, 50, None),  # not rated
]


@dataclass
class Plan:
    inspection: Inspection
    findings: list[Finding]
    actions: list = field(default_factory=list)


def build_plan(
    council,
    *,
    findings: int,
    actions_per_finding: int,
    updates_per_action: int = 1,
    owner=None,
    signer=None,
    start_date=datetime.date(2024, 3, 4),
    theme=None,
) -> Plan:
    """A graded inspection with findings, actions of every status and progress updates."""
    owner = owner or UserFactory()
    if signer is None:
        signer = UserFactory()
        MembershipFactory(user=signer, council=council, role=Role.MANAGER)
    inspection = InspectionFactory(council=council, start_date=start_date)
    for area, grade in (
        (JudgementArea.IMPACT_OF_LEADERS, Grade.REQUIRES_IMPROVEMENT),
        (JudgementArea.HELP_AND_PROTECTION, Grade.GOOD),
        (JudgementArea.CHILDREN_IN_CARE, Grade.REQUIRES_IMPROVEMENT),
        (JudgementArea.CARE_LEAVERS, Grade.INADEQUATE),
        (JudgementArea.OVERALL_EFFECTIVENESS, Grade.REQUIRES_IMPROVEMENT),
    ):
        JudgementFactory(inspection=inspection, area=area, grade=grade)
    plan = Plan(inspection=inspection, findings=[])
    theme = theme or ThemeFactory()
    for position in range(1, findings + 1):
        finding = FindingFactory(
            inspection=inspection,
            position=position,
            short_title=f"Finding {position} of {inspection.pk}",
            theme=theme,
            is_priority_action=position == 1,
        )
        plan.findings.append(finding)
        for n in range(actions_per_finding):
            status, percent, due, revised = ACTION_SHAPES[(position + n) % len(ACTION_SHAPES)]
            extra = {}
            if status == Status.COMPLETE:
                extra = {"signed_off_by": signer, "signed_off_at": timezone.now()}
            action = ActionFactory(
                finding=finding,
                owner=owner,
                status=status,
                percent_complete=percent,
                due_date=days(due),
                revised_due_date=days(revised) if revised is not None else None,
                **extra,
            )
            plan.actions.append(action)
            for _ in range(updates_per_action):
                ProgressUpdateFactory(
                    action=action, author=owner, status=status, percent_complete=percent
                )
    return plan
