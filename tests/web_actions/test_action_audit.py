"""The action page shows the audit trail: who changed which detail, from what, to what."""

import datetime

import pytest

from actions import services

pytestmark = pytest.mark.django_db


def test_action_page_lists_an_edit_with_who_and_old_and_new_values(client, action, manager):
    services.action_edit(
        action=action,
        editor=manager,
        expected_version=action.version,
        title="Recruit 25 foster carers",
        start_date=datetime.date(2026, 3, 31),
    )
    client.force_login(manager)

    page = client.get(f"/actions/{action.pk}/").content.decode()

    changes = page[page.index('id="changes"') :]
    assert "Every change to this action" in changes
    assert "Recruit 25 foster carers" in changes, "the new title is in the audit trail"
    assert "31 Mar 2026" in changes, "the new start date is in the audit trail"
    assert "Sarah Okafor" in changes, "the manager who made the edit is named"
    assert "Created the action" in changes
