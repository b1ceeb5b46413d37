"""Issue 12, item 4: the admin writes to actions through actions.services, like every page.

An admin save of an existing action goes through services.action_edit with the
version the form was opened at ("someone else changed this" when it has moved
on), a new revised due date through services.revise_due_date (a timeline entry,
with a required reason), the original due date cannot change, and a new action
is made by services.action_create. (The PostgreSQL race: tests/test_admin_concurrency.py.)
"""

import datetime

import pytest
from django.urls import reverse

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from tests.factories import ActionFactory, FindingFactory, UserFactory
from tests.test_admin import form_data

pytestmark = pytest.mark.django_db

STALE = "Someone else changed this action"


@pytest.fixture
def action(home, home_staff):
    return ActionFactory(
        finding__inspection__council=home,
        owner=home_staff,
        title="As first written",
        start_date=datetime.date(2025, 1, 1),
        due_date=datetime.date(2030, 3, 31),
    )


def change_url(action):
    return reverse("admin:actions_action_change", args=[action.pk])


@pytest.fixture
def editor(client, superuser):
    """The admin is for superusers only (config/admin.py)."""
    user = superuser
    client.force_login(user)
    return user


def opened(client, action) -> dict:
    """The change form as a browser has it when the page opens."""
    response = client.get(change_url(action))
    assert response.status_code == 200
    return form_data(response)


def errors(response) -> str:
    assert response.status_code == 200, "refused, with the form shown again"
    return str(response.context["adminform"].form.errors)


def snapshot(action):
    return (
        Action.objects.filter(pk=action.pk).values().get(),
        list(ProgressUpdate.objects.filter(action=action).values_list("pk", flat=True)),
    )


# --- Saves go through the service -----------------------------------------------------------------


def test_an_edit_goes_through_the_service_and_raises_the_version(client, editor, action):
    data = opened(client, action)
    data["title"] = "A clearer title"
    response = client.post(change_url(action), data)
    assert response.status_code == 302, response.context and errors(response)
    action.refresh_from_db()
    assert (action.title, action.version) == ("A clearer title", 2)
    assert action.history.first().history_user == editor


def test_a_save_with_nothing_changed_writes_nothing(client, editor, action):
    before = snapshot(action)
    assert client.post(change_url(action), opened(client, action)).status_code == 302
    assert snapshot(action) == before


def test_an_edit_after_a_managers_edit_is_refused_not_overwritten(
    client, editor, action, home_manager
):
    data = opened(client, action)
    services.action_edit(
        action=action, editor=home_manager, expected_version=action.version, title="Manager's"
    )
    before = snapshot(action)

    data["title"] = "Admin's, from a stale page"
    response = client.post(change_url(action), data)

    assert STALE in errors(response)
    assert snapshot(action) == before
    assert Action.objects.get(pk=action.pk).title == "Manager's"


def test_an_edit_after_a_progress_update_is_refused(client, editor, action, home_staff):
    data = opened(client, action)
    services.log_progress(
        action=action,
        author=home_staff,
        note="Half way",
        status=Status.IN_PROGRESS,
        percent_complete=50,
    )
    before = snapshot(action)

    data["lead_service"] = "Changed on a stale page"
    response = client.post(change_url(action), data)

    assert STALE in errors(response)
    assert snapshot(action) == before


def test_a_form_without_its_version_is_refused(client, editor, action):
    data = opened(client, action)
    del data["expected_version"]
    data["title"] = "No version"
    before = snapshot(action)
    assert STALE in errors(client.post(change_url(action), data))
    assert snapshot(action) == before


def test_the_services_rules_are_form_errors_and_nothing_is_written(
    client, superuser, action, other
):
    """Another council's finding, or an owner from elsewhere: the service's own refusals."""
    client.force_login(superuser)
    elsewhere = FindingFactory(inspection__council=other)
    stranger = UserFactory()
    before = snapshot(action)
    for change in ({"finding": elsewhere.pk}, {"owner": stranger.pk}):
        data = {**opened(client, action), **change}
        response = client.post(change_url(action), data)
        assert response.status_code == 200
        assert response.context["adminform"].form.errors, change
        assert snapshot(action) == before


def test_contributors_change_through_the_service(client, editor, action, home_manager):
    data = opened(client, action)
    data["contributors"] = [home_manager.pk]
    response = client.post(change_url(action), data)
    assert response.status_code == 302, response.context and errors(response)
    action.refresh_from_db()
    assert list(action.contributors.all()) == [home_manager]
    assert action.version == 2, "through action_edit, which raises the version"


# --- Due dates ------------------------------------------------------------------------------------


def test_the_original_due_date_is_read_only_once_the_action_exists(client, editor, action):
    response = client.get(change_url(action))
    assert "due_date" not in response.context["adminform"].form.fields
    assert "revised_due_date" in response.context["adminform"].form.fields
    data = form_data(response)
    data["due_date"] = "2031-01-01"
    data["title"] = "Title and a sneaky due date"
    assert client.post(change_url(action), data).status_code == 302
    action.refresh_from_db()
    assert action.due_date == datetime.date(2030, 3, 31)
    assert action.title == "Title and a sneaky due date"


def test_revising_the_due_date_needs_a_reason(client, editor, action):
    data = opened(client, action)
    data["revised_due_date"] = "2030-06-30"
    before = snapshot(action)
    assert "Say why the due date is changing." in errors(client.post(change_url(action), data))
    assert snapshot(action) == before


def test_revising_the_due_date_is_a_timeline_entry(client, editor, action):
    data = opened(client, action)
    data["revised_due_date"] = "2030-06-30"
    data["revision_reason"] = "The new provider starts in April."
    response = client.post(change_url(action), data)
    assert response.status_code == 302, response.context and errors(response)

    action.refresh_from_db()
    assert action.due_date == datetime.date(2030, 3, 31), "the original is kept"
    assert action.revised_due_date == datetime.date(2030, 6, 30)
    entry = ProgressUpdate.objects.get(action=action)
    assert entry.kind == UpdateKind.DUE_DATE_REVISED
    assert entry.author == editor
    assert "The new provider starts in April." in entry.note


def test_a_revised_due_date_cannot_be_removed(client, editor, action, home_manager):
    services.revise_due_date(
        action=action,
        manager=home_manager,
        revised_due_date=datetime.date(2030, 6, 30),
        reason="Slipped.",
    )
    data = opened(client, action)
    data.pop("revised_due_date")
    data["revision_reason"] = "Back to the plan."
    before = snapshot(action)
    assert "can be changed but not removed" in errors(client.post(change_url(action), data))
    assert snapshot(action) == before


def test_a_complete_action_has_no_deadline_to_move(
    client, superuser, action, home_staff, home_manager
):
    services.log_progress(
        action=action,
        author=home_staff,
        note="Done",
        status=Status.DELIVERED,
        percent_complete=100,
    )
    services.sign_off(action=action, manager=home_manager)
    client.force_login(superuser)
    data = opened(client, action)
    data["revised_due_date"] = "2030-06-30"
    data["revision_reason"] = "Why not."
    before = snapshot(action)
    assert "no deadline to move" in errors(client.post(change_url(action), data))
    assert snapshot(action) == before


def test_an_edit_and_a_revision_together(client, editor, action):
    data = opened(client, action)
    data["title"] = "Retitled"
    data["revised_due_date"] = "2030-09-30"
    data["revision_reason"] = "Board agreed."
    assert client.post(change_url(action), data).status_code == 302
    action.refresh_from_db()
    assert (action.title, action.revised_due_date) == ("Retitled", datetime.date(2030, 9, 30))
    assert action.updates.get().kind == UpdateKind.DUE_DATE_REVISED


# --- New actions ----------------------------------------------------------------------------------


def _add_data(finding, owner, **extra):
    return {
        "finding": finding.pk,
        "title": "Made in the admin",
        "owner": owner.pk,
        "priority": "2",
        "due_date": "2030-01-31",
        **extra,
    }


def test_a_new_action_is_made_by_the_service(client, editor, home, home_staff):
    finding = FindingFactory(inspection__council=home)
    response = client.post(reverse("admin:actions_action_add"), _add_data(finding, home_staff))
    assert response.status_code == 302, response.context and errors(response)
    action = Action.objects.get(title="Made in the admin")
    assert (action.owner, action.due_date, action.version) == (
        home_staff,
        datetime.date(2030, 1, 31),
        1,
    )
    assert action.history.first().history_user == editor


def test_a_new_action_for_someone_outside_the_council_is_refused(client, superuser, home):
    client.force_login(superuser)
    finding = FindingFactory(inspection__council=home)
    response = client.post(reverse("admin:actions_action_add"), _add_data(finding, UserFactory()))
    assert "is not a member of" in errors(response)
    assert not Action.objects.filter(title="Made in the admin").exists()


def test_the_add_form_asks_only_what_the_service_takes(client, editor):
    form = client.get(reverse("admin:actions_action_add")).context["adminform"].form
    assert "revised_due_date" not in form.fields
    assert "expected_version" not in form.fields


# --- The finding page's list of actions -----------------------------------------------------------


def test_the_finding_page_lists_actions_read_only(client, editor, action):
    url = reverse("admin:inspections_finding_change", args=[action.finding_id])
    response = client.get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'name="actions-0-due_date"' not in content
    assert 'name="actions-0-title"' not in content
    data = form_data(response)
    data.update({"actions-0-id": action.pk, "actions-0-due_date": "2031-01-01"})
    client.post(url, data)
    action.refresh_from_db()
    assert action.due_date == datetime.date(2030, 3, 31)
