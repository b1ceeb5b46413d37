"""The dashboard's whole-plan progress rounds as the roll-ups do: half up, one rule."""

import pytest

from actions.rag import Clock, Status
from actions.rollups import councils_with_progress
from boards.dashboard import dashboard
from councils.models import Council
from tests.factories import ActionFactory, CouncilFactory, FindingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("percents", "expected"), [((25, 100), 63), ((0, 5), 3), ((10, 35), 23)])
def test_a_half_rounds_up_on_the_dashboard_as_in_the_roll_ups(percents, expected):
    council = CouncilFactory()
    finding = FindingFactory(inspection__council=council)
    for percent in percents:
        ActionFactory(finding=finding, status=Status.IN_PROGRESS, percent_complete=percent)
    # A cancelled action counts in neither.
    ActionFactory(finding=finding, status=Status.CANCELLED, percent_complete=0)
    clock = Clock.current()

    rolled_up = councils_with_progress(Council.objects.filter(pk=council.pk), clock).get()
    assert dashboard(council, clock).totals.progress == rolled_up.progress == expected
