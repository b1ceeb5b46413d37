"""The audit trail of actions whose history rows are missing or start mid-life.

Actions made by a bulk insert, an import or a data migration have no
simple-history rows; a trail may also have lost its oldest rows. Neither may
break `action_history` or the action page (issue 10).
"""

import pytest

from actions import services
from actions.audit import action_history
from actions.models import Action
from tests.web_actions.conftest import signed_in

pytestmark = pytest.mark.django_db


def _action_page(user, action) -> str:
    response = signed_in(user).get(f"/actions/{action.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _audit_lines(page: str) -> int:
    """How many lines the page's audit trail ("Every change to this action") shows."""
    return page[page.index('id="changes"') :].count('data-label="What changed"')


def test_an_action_with_no_history_rows_has_an_empty_trail_and_its_page_answers(action, staff):
    Action.history.filter(id=action.pk).delete()
    assert not Action.history.filter(id=action.pk).exists()

    assert action_history(action) == []
    page = _action_page(staff, action)
    assert _audit_lines(page) == 0
    assert "Created the action" not in page


def test_an_action_made_by_a_bulk_insert_has_an_empty_trail_and_its_page_answers(action, staff):
    (bulk,) = Action.objects.bulk_create(
        [
            Action(
                finding=action.finding,
                title="Imported action",
                owner=staff,
                due_date=action.due_date,
            )
        ]
    )
    assert not Action.history.filter(id=bulk.pk).exists()

    assert action_history(bulk) == []
    assert "Imported action" in _action_page(staff, bulk)


def test_a_trail_that_starts_mid_life_shows_the_changes_it_can_compare(action, staff, manager):
    for note, percent in (("Started.", 20), ("Half way.", 50)):
        services.log_progress(
            action=action, author=staff, note=note, status="in_progress", percent_complete=percent
        )
    # Lose the creation row: the trail now starts with the first change, at 20%.
    rows = Action.history.filter(id=action.pk).order_by("history_date", "history_id")
    assert [row.history_type for row in rows] == ["+", "~", "~"]
    Action.history.filter(id=action.pk, history_type="+").delete()

    changes = action_history(action)

    assert [(c.kind, c.field, c.old, c.new) for c in changes] == [
        ("changed", "percent_complete", "20", "50")
    ]
    assert changes[0].who == staff
    assert changes[0].reason == "Progress update"
    page = _action_page(manager, action)
    assert _audit_lines(page) == 1
    assert "Percent complete: 20" in page
    assert "Created the action" not in page


def test_a_trail_of_one_change_row_only_is_empty_and_the_page_answers(action, staff):
    services.log_progress(
        action=action, author=staff, note="Started.", status="in_progress", percent_complete=20
    )
    Action.history.filter(id=action.pk, history_type="+").delete()

    assert action_history(action) == []
    assert "Started." in _action_page(staff, action)


def test_the_trail_chooses_its_records_before_joining_people_and_findings(action, manager):
    """A long-lived action's trail reads the page's records by id, then joins them: joining
    every record first hashed every user and finding in the database (issue 10)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for percent in (10, 20, 30):
        services.log_progress(
            action=action,
            author=manager,
            note="Moving.",
            status="in_progress",
            percent_complete=percent,
        )
    with CaptureQueriesContext(connection) as captured:
        trail = action_history(action, offset=1, limit=2)
    (query,) = [q["sql"] for q in captured.captured_queries]
    outer, inner = query.split("IN (SELECT", 1)
    assert "LIMIT 3" in inner and "OFFSET 1" in inner
    assert '"councils_user"' in outer and '"councils_user"' not in inner
    assert {change.field for change in trail} >= {"percent_complete"}


def test_the_action_page_reads_the_role_once(action, manager):
    """The page's two questions (may log progress, may manage) share the role it read."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(manager)
    client.get(f"/actions/{action.pk}/")
    with CaptureQueriesContext(connection) as captured:
        assert client.get(f"/actions/{action.pk}/").status_code == 200
    memberships = [q for q in captured.captured_queries if '"councils_membership"' in q["sql"]]
    assert len(memberships) == 1, [q["sql"] for q in memberships]
