"""A revised due date can be moved back to the original one; only the date in force is refused.

The older test refused the original date on an action never revised, which a rule
"refuse the original due date too" would also pass.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.models import Action, UpdateKind

from .conftest import signed_in, written

pytestmark = pytest.mark.django_db


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


@pytest.fixture
def revised(action, manager):
    services.revise_due_date(
        action=action,
        manager=manager,
        revised_due_date=action.due_date + _days(30),
        reason="Waiting for the new team.",
    )
    action.refresh_from_db()
    return action


def test_the_service_moves_a_revised_date_back_to_the_original(revised, manager):
    original = revised.due_date
    update = services.revise_due_date(
        action=revised, manager=manager, revised_due_date=original, reason="Back on track."
    )
    fresh = Action.objects.get(pk=revised.pk)
    assert (fresh.due_date, fresh.revised_due_date, fresh.effective_due_date) == (
        original,
        original,
        original,
    )
    assert update.kind == UpdateKind.DUE_DATE_REVISED
    assert update.note.startswith(
        f"Due date moved from {original + _days(30):%-d %B %Y} to {original:%-d %B %Y}."
    )
    assert revised.revised_due_date == original, "the caller's instance sees the change"


def test_the_service_refuses_the_revised_date_in_force(revised, manager):
    before = written(revised)
    with pytest.raises(ValidationError) as caught:
        services.revise_due_date(
            action=revised,
            manager=manager,
            revised_due_date=revised.revised_due_date,
            reason="No change.",
        )
    assert caught.value.message_dict == {"revised_due_date": ["That is already the due date."]}
    assert written(revised) == before


def test_the_page_moves_a_revised_date_back_to_the_original(revised, manager):
    original = revised.due_date
    response = signed_in(manager).post(
        reverse("action_revise_due_date", args=[revised.pk]),
        {
            "revised_due_date_0": original.day,
            "revised_due_date_1": original.month,
            "revised_due_date_2": original.year,
            "reason": "Back on track.",
        },
    )
    assert response.status_code == 302
    assert Action.objects.get(pk=revised.pk).effective_due_date == original


def test_the_page_refuses_the_revised_date_in_force(revised, manager):
    before = written(revised)
    current = revised.revised_due_date
    response = signed_in(manager).post(
        reverse("action_revise_due_date", args=[revised.pk]),
        {
            "revised_due_date_0": current.day,
            "revised_due_date_1": current.month,
            "revised_due_date_2": current.year,
            "reason": "No change.",
        },
    )
    assert response.status_code == 200
    assert f"already due on {current:%-d %B %Y}" in response.content.decode()
    assert written(revised) == before
