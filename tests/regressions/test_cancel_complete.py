"""Cancelling a complete action is refused with the service's own words, and writes nothing.

The older test cancelled a cancelled action only. Without the service's check, a
complete action would reach the database's "only complete is signed off" rule
and fail with its raw constraint message instead.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from actions import services
from actions.rag import Status

from .conftest import signed_in, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def complete(action, staff, manager):
    services.log_progress(
        action=action, author=staff, note="Done.", status=Status.DELIVERED, percent_complete=100
    )
    services.sign_off(action=action, manager=manager)
    action.refresh_from_db()
    assert action.status == Status.COMPLETE
    return action


def test_the_service_refuses_with_its_own_message(complete, manager):
    before = written(complete)
    with pytest.raises(ValidationError) as caught:
        services.cancel(action=complete, manager=manager, reason="No longer needed.")
    assert caught.value.messages == ["This action is already complete."]
    assert written(complete) == before


def test_the_page_explains_and_writes_nothing(complete, manager):
    before = written(complete)
    client = signed_in(manager)
    url = reverse("action_cancel", args=[complete.pk])
    assert "This action is already complete." in client.get(url).content.decode()
    response = client.post(url, {"reason": "No longer needed."})
    html = response.content.decode()
    assert response.status_code == 200
    assert "This action is already complete." in html
    assert "constraint" not in html.lower()
    assert written(complete) == before


def test_a_complete_action_can_be_reopened_then_cancelled(complete, manager):
    services.reopen(action=complete, manager=manager, reason="Gaps found.")
    services.cancel(action=complete, manager=manager, reason="Replaced by a wider action.")
    complete.refresh_from_db()
    assert (complete.status, complete.signed_off_by, complete.signed_off_at) == (
        Status.CANCELLED,
        None,
        None,
    )
