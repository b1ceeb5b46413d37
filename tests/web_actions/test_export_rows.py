"""The exports' rows, read with values_list(), are what the model instances used to give.

The reference below is how a row was made before (from the action, its finding,
inspection, council, owner and signer as model instances); every kind of visit,
status, revised and missing date, and person with or without a full name is
compared, value for value and type for type.
"""

import datetime

import pytest
from django.utils import timezone

from actions import exports, selectors
from actions.models import Action, Priority
from actions.rag import Clock, Status
from tests.factories import ActionFactory, FindingFactory, InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def reference_row(action: Action, clock: Clock) -> list:
    inspection = action.finding.inspection
    assessment = action.assess(clock)
    return [
        inspection.council.name,
        f"{inspection.title} ({inspection.start_date:%B %Y})",
        f"{action.finding.position}. {action.finding.short_title}",
        action.title,
        exports._person(action.owner),
        action.lead_service,
        action.get_priority_display(),
        action.get_status_display(),
        assessment.rag.label,
        assessment.reason,
        action.percent_complete,
        action.start_date,
        action.due_date,
        action.revised_due_date,
        exports._local(action.last_progress_at),
        exports._person(action.signed_off_by),
        exports._local(action.signed_off_at),
    ]


@pytest.fixture
def varied(council):
    today = timezone.localdate()
    visits = [
        InspectionFactory(council=council),
        InspectionFactory(council=council, focused_visit=True),
        InspectionFactory(council=council, monitoring_visit=True),
    ]
    named = UserFactory(first_name="Priya", last_name="Shah")
    unnamed = UserFactory(first_name="", last_name="", username="t.hughes")
    signer = UserFactory(first_name="Sarah", last_name="Okafor")
    for i, status in enumerate(Status.values):
        finding = FindingFactory(inspection=visits[i % 3], short_title=f"Finding {i}")
        complete = status == Status.COMPLETE
        ActionFactory(
            finding=finding,
            owner=named if i % 2 else unnamed,
            status=status,
            priority=list(Priority)[i % 3],
            percent_complete=100 if complete else 10 * i,
            start_date=None if i % 2 else today - datetime.timedelta(days=90),
            due_date=today + datetime.timedelta(days=20 * i - 50),
            revised_due_date=today + datetime.timedelta(days=7) if i % 3 == 0 else None,
            last_progress_at=timezone.now() - datetime.timedelta(days=5 * i, microseconds=1),
            signed_off_by=signer if complete else None,
            signed_off_at=timezone.now() if complete else None,
            lead_service="Leaving care" if i % 2 else "",
        )


def test_rows_are_what_the_models_gave(council, varied):
    clock = Clock.current()
    actions = selectors.council_actions(council, clock)
    rows = list(exports._rows(actions, clock))
    expected = [reference_row(action, clock) for action in actions]
    assert len(rows) == len(Status.values)
    assert rows == expected
    for row, want in zip(rows, expected, strict=True):
        assert [type(v) for v in row] == [type(v) for v in want]
