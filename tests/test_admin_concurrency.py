"""Real concurrent transactions on PostgreSQL: an admin save never loses anyone's update.

The admin's action form goes through actions.services: it locks the row, checks
the version it was opened at, and writes a revised due date in the timeline.
Here an admin's save (in its own thread and connection, through HTTP as a
browser sends it) is released at the same moment as a progress update or a
manager's edit. Whichever goes first, nothing is lost, the admin is told when
someone else got there first, and status and percent stay in step with the
timeline. SQLite serialises all writers, so these only run on PostgreSQL (CI).
"""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from tests.factories import ActionFactory, UserFactory
from tests.test_admin import form_data
from tests.test_concurrency import run_together

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions need PostgreSQL (CI runs them)",
    ),
]

ROUNDS = 4
STALE = "Someone else changed this action"


@pytest.fixture
def superuser(db):
    return UserFactory(is_staff=True, is_superuser=True)


def open_admin_form(superuser, action):
    """A signed-in browser with the action's admin page open: its form, as it would post it."""
    browser = Client()
    browser.force_login(superuser)
    url = reverse("admin:actions_action_change", args=[action.pk])
    response = browser.get(url)
    assert response.status_code == 200
    return browser, url, form_data(response)


def assert_timeline_in_step(action):
    """Each entry starts where the one before it ended, and the action shows the last one."""
    entries = list(ProgressUpdate.objects.filter(action=action).order_by("created_at", "id"))
    status, percent = Status.NOT_STARTED, 0
    for entry in entries:
        assert (entry.previous_status, entry.previous_percent) == (status, percent), (
            f"{entry.kind} entry does not start where the one before ended"
        )
        status, percent = entry.status, entry.percent_complete
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (status, percent)
    return entries


def admin_outcome(result):
    kind, response = result
    assert kind == "ok", f"the admin's request failed: {response!r}"
    if response.status_code == 302:
        return "saved"
    assert response.status_code == 200
    assert STALE in str(response.context["adminform"].form.errors), (
        f"a refused admin save must say why: {response.context['adminform'].form.errors}"
    )
    return "refused"


def test_an_admin_save_overlapping_a_progress_update_loses_nothing(
    superuser, council, staff, manager
):
    outcomes = set()
    for round_ in range(ROUNDS):
        action = ActionFactory(
            finding__inspection__council=council, owner=staff, due_date=datetime.date(2030, 3, 1)
        )
        browser, url, data = open_admin_form(superuser, action)
        data.update(
            {
                "title": f"Retitled in the admin {round_}",
                "revised_due_date": "2030-06-30",
                "revision_reason": "The board agreed a later date.",
            }
        )

        results = run_together(
            lambda browser=browser, url=url, data=data: browser.post(url, data),
            lambda action=action: services.log_progress(
                action=Action.objects.get(pk=action.pk),
                author=staff,
                note="Logged while the admin saved",
                status=Status.IN_PROGRESS,
                percent_complete=60,
            ),
        )

        outcome = admin_outcome(results[0])
        outcomes.add(outcome)
        assert results[1][0] == "ok", f"the progress update must never be lost: {results[1]}"
        entries = assert_timeline_in_step(action)
        kinds = sorted(entry.kind for entry in entries)
        action.refresh_from_db()
        assert (action.status, action.percent_complete) == (Status.IN_PROGRESS, 60)
        if outcome == "saved":
            assert kinds == sorted([UpdateKind.PROGRESS, UpdateKind.DUE_DATE_REVISED])
            assert action.title == f"Retitled in the admin {round_}"
            assert action.revised_due_date == datetime.date(2030, 6, 30)
            # created (1), the admin's edit (+1), its revision (+1), the progress (+1)
            assert action.version == 4
        else:
            assert kinds == [UpdateKind.PROGRESS], "a refused admin save writes nothing"
            assert action.title != f"Retitled in the admin {round_}"
            assert action.revised_due_date is None
            assert action.version == 2
    assert outcomes, "every round had an outcome"


def test_an_admin_save_overlapping_a_managers_edit_one_is_refused_and_nothing_is_lost(
    superuser, council, staff, manager
):
    for round_ in range(ROUNDS):
        action = ActionFactory(finding__inspection__council=council, owner=staff)
        version = action.version
        browser, url, data = open_admin_form(superuser, action)
        data["title"] = f"Admin's title {round_}"

        results = run_together(
            lambda browser=browser, url=url, data=data: browser.post(url, data),
            lambda action=action, version=version, title=f"Manager's title {round_}": (
                services.action_edit(
                    action=Action.objects.get(pk=action.pk),
                    editor=manager,
                    expected_version=version,
                    title=title,
                )
            ),
        )

        admin = admin_outcome(results[0])
        manager_kind, manager_result = results[1]
        action.refresh_from_db()
        assert action.version == version + 1, "exactly one edit was saved"
        if admin == "saved":
            assert isinstance(manager_result, services.StaleVersion), manager_result
            assert action.title == f"Admin's title {round_}"
        else:
            assert manager_kind == "ok", manager_result
            assert action.title == f"Manager's title {round_}"
        assert_timeline_in_step(action)


def test_an_admin_revision_overlapping_a_sign_off_keeps_the_timeline_in_step(
    superuser, council, staff, manager
):
    for _ in range(ROUNDS):
        action = ActionFactory(finding__inspection__council=council, owner=staff)
        services.log_progress(
            action=action,
            author=staff,
            note="Done",
            status=Status.DELIVERED,
            percent_complete=100,
        )
        browser, url, data = open_admin_form(superuser, action)
        data.update({"revised_due_date": "2031-01-31", "revision_reason": "Later, says the board"})

        results = run_together(
            lambda browser=browser, url=url, data=data: browser.post(url, data),
            lambda action=action: services.sign_off(
                action=Action.objects.get(pk=action.pk), manager=manager
            ),
        )

        admin_outcome(results[0])
        assert results[1][0] == "ok", f"the sign-off must never be lost: {results[1]}"
        entries = assert_timeline_in_step(action)
        assert entries[-1].kind in (UpdateKind.SIGNED_OFF, UpdateKind.DUE_DATE_REVISED)
        action.refresh_from_db()
        assert (action.status, action.percent_complete) == (Status.COMPLETE, 100)
