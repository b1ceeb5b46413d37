"""The forms that change an action: logging progress and the managers' forms.

Each refused form writes nothing (the timeline and the action are as they were),
shows a GOV.UK error summary and keeps what was typed.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from actions import services
from actions.models import Action, Priority, ProgressUpdate
from actions.rag import Status
from tests.factories import UserFactory

from .conftest import days, signed_in

pytestmark = pytest.mark.django_db


def progress(action, **data):
    return {
        "note": "Met the housing team.",
        "status": "in_progress",
        "percent_complete": "40",
        "evidence_url": "",
        **data,
    }


def post_progress(client, action, **data):
    return client.post(reverse("action_log_progress", args=[action.pk]), progress(action, **data))


# --- Logging progress ----------------------------------------------------------------


def test_log_progress_saves_an_update_and_says_so(staff_client, action, staff):
    response = post_progress(
        staff_client, action, evidence_url="https://intranet.example.gov.uk/minutes"
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("action_detail", args=[action.pk])
    update = ProgressUpdate.objects.get(action=action)
    assert (update.author, update.status, update.percent_complete) == (staff, "in_progress", 40)
    assert update.evidence_url == "https://intranet.example.gov.uk/minutes"
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.IN_PROGRESS, 40)
    page = staff_client.get(response["Location"]).content.decode()
    assert "govuk-notification-banner--success" in page
    assert "Your progress update has been saved." in page


def test_get_is_not_allowed_on_the_progress_address(staff_client, action):
    assert staff_client.get(reverse("action_log_progress", args=[action.pk])).status_code == 405


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"note": "   "}, "note", "Enter a note saying what has happened"),
        ({"status": ""}, "status", "Choose a status"),
        ({"status": "complete"}, "status", "Choose not started, in progress, blocked or delivered"),
        (
            {"status": "cancelled"},
            "status",
            "Choose not started, in progress, blocked or delivered",
        ),
        ({"percent_complete": ""}, "percent_complete", "Enter percent complete, from 0 to 100"),
        (
            {"percent_complete": "101"},
            "percent_complete",
            "Percent complete must be a whole number from 0 to 100",
        ),
        (
            {"percent_complete": "-1"},
            "percent_complete",
            "Percent complete must be a whole number from 0 to 100",
        ),
        (
            {"percent_complete": "forty"},
            "percent_complete",
            "Percent complete must be a whole number from 0 to 100",
        ),
        (
            {"status": "delivered", "percent_complete": "90"},
            "percent_complete",
            "A delivered action is 100% complete: enter 100.",
        ),
        ({"evidence_url": "not a link"}, "evidence_url", "Enter the link in the right format"),
        (
            {"evidence_url": "javascript:alert(1)"},
            "evidence_url",
            "Enter the link in the right format",
        ),
    ],
)
def test_each_progress_error_is_shown_and_nothing_is_written(
    staff_client, action, data, field, message
):
    before = (
        ProgressUpdate.objects.count(),
        action.status,
        action.percent_complete,
        action.version,
    )
    response = post_progress(staff_client, action, note=data.pop("note", "Typed note kept"), **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert "govuk-error-summary" in html
    assert message in html
    assert message in " ".join(response.context["form"].errors[field])
    action.refresh_from_db()
    after = (ProgressUpdate.objects.count(), action.status, action.percent_complete, action.version)
    assert after == before, "a refused update must write nothing"
    if "note" not in data and field != "note":
        assert "Typed note kept" in html, "what was typed is kept"


def test_error_summary_links_to_the_first_radio(staff_client, action):
    html = post_progress(staff_client, action, status="").content.decode()
    assert 'href="#id_status_1">Choose a status' in html
    assert 'id="id_status_1"' in html


def test_progress_on_a_closed_action_is_refused(staff_client, action, manager):
    services.cancel(action=action, manager=manager, reason="Superseded.")
    before = ProgressUpdate.objects.count()
    response = post_progress(staff_client, action)
    assert response.status_code == 200
    assert "progress can no longer be logged" in response.content.decode()
    assert ProgressUpdate.objects.count() == before


def test_staff_who_are_not_owner_or_contributor_get_403(other_staff_client, action):
    response = post_progress(other_staff_client, action)
    assert response.status_code == 403
    assert not ProgressUpdate.objects.filter(action=action).exists()


def test_a_contributor_may_log_progress(other_staff_client, action, other_staff):
    action.contributors.add(other_staff)
    assert post_progress(other_staff_client, action).status_code == 302
    assert ProgressUpdate.objects.get(action=action).author == other_staff


# --- Managers only --------------------------------------------------------------------

MANAGER_FORMS = [
    "action_edit",
    "action_revise_due_date",
    "action_sign_off",
    "action_send_back",
    "action_cancel",
    "action_reopen",
]


@pytest.mark.parametrize("name", MANAGER_FORMS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_staff_cannot_use_the_managers_forms(staff_client, action, name, method):
    before = (ProgressUpdate.objects.count(), Action.objects.get(pk=action.pk).version)
    response = getattr(staff_client, method)(
        reverse(name, args=[action.pk]), {"reason": "Because", "note": "x", "title": "Mine now"}
    )
    assert response.status_code == 403
    action.refresh_from_db()
    assert (ProgressUpdate.objects.count(), action.version) == before
    assert action.title != "Mine now"


@pytest.fixture
def delivered(action, staff):
    services.log_progress(
        action=action, author=staff, note="All done.", status=Status.DELIVERED, percent_complete=100
    )
    action.refresh_from_db()
    return action


def test_manager_signs_off_a_delivered_action(manager_client, delivered, manager):
    url = reverse("action_sign_off", args=[delivered.pk])
    page = manager_client.get(url).content.decode()
    assert "<title>Sign off this action: " in page
    response = manager_client.post(url, {"note": "Checked the audit."})
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.status == Status.COMPLETE
    assert delivered.signed_off_by == manager
    assert delivered.updates.first().note == "Checked the audit."
    assert (
        "The action has been signed off."
        in manager_client.get(response["Location"]).content.decode()
    )


def test_sign_off_of_an_undelivered_action_is_explained(manager_client, action):
    url = reverse("action_sign_off", args=[action.pk])
    assert "Only a delivered action can be signed off" in manager_client.get(url).content.decode()
    response = manager_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "Only a delivered action can be signed off" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.NOT_STARTED


def test_a_manager_cannot_sign_off_their_own_action(manager_client, manager, delivered):
    Action.objects.filter(pk=delivered.pk).update(owner=manager)
    url = reverse("action_sign_off", args=[delivered.pk])
    response = manager_client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "another manager must sign it off" in response.content.decode()
    delivered.refresh_from_db()
    assert delivered.status == Status.DELIVERED


def test_send_back_needs_a_reason(manager_client, delivered):
    url = reverse("action_send_back", args=[delivered.pk])
    before = ProgressUpdate.objects.count()
    response = manager_client.post(url, {"reason": " "})
    html = response.content.decode()
    assert "<title>Error: " in html
    assert "Enter why the action is being sent back" in html
    assert ProgressUpdate.objects.count() == before
    response = manager_client.post(
        url, {"reason": "The audit found gaps.", "percent_complete": "80"}
    )
    assert response.status_code == 302
    delivered.refresh_from_db()
    assert delivered.status == Status.IN_PROGRESS


def test_cancel_and_reopen(manager_client, action):
    response = manager_client.post(reverse("action_cancel", args=[action.pk]), {"reason": ""})
    assert "Enter why the action is being cancelled" in response.content.decode()
    response = manager_client.post(
        reverse("action_cancel", args=[action.pk]), {"reason": "Merged into another action."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.CANCELLED
    response = manager_client.post(
        reverse("action_reopen", args=[action.pk]), {"reason": "Needed after all."}
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS


def revise(client, action, day, month, year, reason="Recruitment slipped."):
    return client.post(
        reverse("action_revise_due_date", args=[action.pk]),
        {
            "revised_due_date_0": day,
            "revised_due_date_1": month,
            "revised_due_date_2": year,
            "reason": reason,
        },
    )


def test_manager_revises_the_due_date_and_the_original_is_kept(manager_client, action):
    original = action.due_date
    new = days(120)
    response = revise(manager_client, action, new.day, new.month, new.year)
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.due_date, action.revised_due_date) == (original, new)
    assert "Recruitment slipped." in action.updates.first().note


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "anchor"),
    [
        ("", "", "", "Enter the new due date", "id_revised_due_date_0"),
        ("31", "2", "2027", "The new due date must be a real date", "id_revised_due_date_0"),
        ("12", "", "2027", "The new due date must include a month", "id_revised_due_date_1"),
        ("12", "13", "2027", "The new due date must be a real date", "id_revised_due_date_0"),
        ("12", "5", "27", "Year must include 4 numbers", "id_revised_due_date_2"),
        ("x", "5", "2027", "The new due date must be a real date", "id_revised_due_date_0"),
    ],
)
def test_revise_due_date_errors(manager_client, action, day, month, year, message, anchor):
    before = (ProgressUpdate.objects.count(), action.revised_due_date)
    response = revise(manager_client, action, day, month, year)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert message in html
    assert f'href="#{anchor}"' in html
    assert "Recruitment slipped." in html, "the reason typed is kept"
    action.refresh_from_db()
    assert (ProgressUpdate.objects.count(), action.revised_due_date) == before


def test_revised_due_date_must_be_on_or_after_the_start_date(manager_client, action):
    action.start_date = days(10)
    action.save()
    earlier = days(5)
    response = revise(manager_client, action, earlier.day, earlier.month, earlier.year)
    assert "The due date must be on or after the start date" in response.content.decode()
    action.refresh_from_db()
    assert action.revised_due_date is None


def test_revising_to_the_same_date_is_refused(manager_client, action):
    due = action.due_date
    response = revise(manager_client, action, due.day, due.month, due.year)
    assert "already due on" in response.content.decode()


# --- Editing ----------------------------------------------------------------------------


def edit_data(action, **changes):
    start = action.start_date
    data = {
        "title": action.title,
        "description": action.description,
        "success_measure": action.success_measure,
        "owner": action.owner_id,
        "contributors": [user.pk for user in action.contributors.all()],
        "lead_service": action.lead_service,
        "priority": action.priority,
        "start_date_0": start.day if start else "",
        "start_date_1": start.month if start else "",
        "start_date_2": start.year if start else "",
        "version": action.version,
    }
    data.update(changes)
    return data


def test_edit_form_is_filled_in_with_the_action(manager_client, action):
    action.lead_service = "Fostering"
    action.save()
    html = manager_client.get(reverse("action_edit", args=[action.pk])).content.decode()
    assert f'value="{action.title}"' in html
    assert 'value="Fostering"' in html
    assert f'name="version" value="{action.version}"' in html


def test_manager_edits_an_action(manager_client, action, other_staff, manager):
    start = timezone.localdate()
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]),
        edit_data(
            action,
            title="Clearer title",
            owner=other_staff.pk,
            contributors=[manager.pk],
            priority=Priority.HIGH,
            start_date_0=start.day,
            start_date_1=start.month,
            start_date_2=start.year,
            lead_service="Leaving care",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    action.refresh_from_db()
    assert action.title == "Clearer title"
    assert action.owner == other_staff
    assert list(action.contributors.all()) == [manager]
    assert action.priority == Priority.HIGH
    assert action.start_date == start
    assert action.version == 2


def test_owner_and_contributors_must_be_the_councils_people(manager_client, action, other_action):
    outsider = other_action.owner
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]),
        edit_data(action, owner=outsider.pk, contributors=[outsider.pk]),
    )
    html = response.content.decode()
    assert "Choose an owner from this council" in html
    assert "Choose contributors from this council" in html
    action.refresh_from_db()
    assert action.owner != outsider


def test_start_date_after_the_due_date_is_refused(manager_client, action):
    late = action.due_date + datetime.timedelta(days=1)
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]),
        edit_data(action, start_date_0=late.day, start_date_1=late.month, start_date_2=late.year),
    )
    assert "The start date must be on or before the due date" in response.content.decode()
    action.refresh_from_db()
    assert action.start_date is None


def test_edit_title_required(manager_client, action):
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]), edit_data(action, title="")
    )
    assert "Enter a title for the action" in response.content.decode()


def test_stale_edit_is_refused_and_what_was_typed_is_kept(manager_client, action, second_manager):
    form_version = action.version
    # Someone else saves first.
    services.action_edit(
        action=action,
        editor=second_manager,
        expected_version=form_version,
        title="Their title",
        lead_service="Their team",
    )
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]),
        edit_data(action, title="My typed title", lead_service="My team", version=form_version),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert "Someone else changed this action" in html
    assert 'value="My typed title"' in html and 'value="My team"' in html
    # What the action says now is shown beside the form...
    assert "Their title" in html and "Their team" in html
    action.refresh_from_db()
    assert (action.title, action.lead_service) == ("Their title", "Their team")
    # ...and the form now carries the current version, so saving again is a decision.
    assert f'name="version" value="{action.version}"' in html


def test_a_superuser_without_a_membership_is_not_shown_another_council(action):
    """Superusers choose a council first: without one the pages are not found."""
    admin = UserFactory(is_superuser=True, is_staff=True)
    client = signed_in(admin)
    assert client.get(reverse("action_detail", args=[action.pk])).status_code == 404
