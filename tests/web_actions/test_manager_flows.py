"""Issue 12, items 9 to 11: flows that used to lead managers astray."""

import pytest
from django.urls import reverse

from actions import selectors, services
from actions.models import UpdateKind
from actions.rag import Rag, Status
from tests.factories import ActionFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def _deliver(action, author, *, from_percent: int):
    services.log_progress(
        action=action,
        author=author,
        note="Half way.",
        status=Status.IN_PROGRESS,
        percent_complete=from_percent,
    )
    services.log_progress(
        action=action, author=author, note="Done.", status=Status.DELIVERED, percent_complete=100
    )


# --- 9: a manager is not offered to sign off their own action ----------------------------------


def test_a_manager_is_not_offered_to_sign_off_their_own_action(council, manager):
    action = ActionFactory(finding__inspection__council=council, owner=manager)
    _deliver(action, manager, from_percent=60)
    html = signed_in(manager).get(reverse("action_detail", args=[action.pk])).content.decode()
    assert reverse("action_sign_off", args=[action.pk]) not in html, "no button to be refused"
    assert "You own this action, so another manager must sign it off." in html


def test_another_manager_is_offered_the_sign_off(council, manager, second_manager):
    action = ActionFactory(finding__inspection__council=council, owner=manager)
    _deliver(action, manager, from_percent=60)
    client = signed_in(second_manager)
    html = client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert reverse("action_sign_off", args=[action.pk]) in html
    assert "another manager must sign it off" not in html


def test_the_sign_off_page_explains_instead_of_offering_a_form(council, manager):
    action = ActionFactory(finding__inspection__council=council, owner=manager)
    _deliver(action, manager, from_percent=60)
    html = signed_in(manager).get(reverse("action_sign_off", args=[action.pk])).content.decode()
    assert "another manager must sign it off" in html
    assert 'method="post"' not in html.split('id="main-content"')[-1]


def test_the_one_rule_says_why_or_nothing(council, manager, second_manager, staff):
    action = ActionFactory(finding__inspection__council=council, owner=manager)
    assert "delivered" in services.sign_off_refusal(second_manager, action)
    _deliver(action, manager, from_percent=60)
    assert services.sign_off_refusal(second_manager, action) == ""
    assert "another manager" in services.sign_off_refusal(manager, action)
    assert "Only a manager" in services.sign_off_refusal(staff, action)


# --- 10: sending back asks how complete it really is --------------------------------------------


def test_send_back_form_is_prefilled_with_the_figure_before_delivery(manager_client, action, staff):
    _deliver(action, staff, from_percent=70)
    response = manager_client.get(reverse("action_send_back", args=[action.pk]))
    assert response.context["form"].initial["percent_complete"] == 70
    assert 'value="70"' in response.content.decode()


def test_sending_back_sets_the_percent_and_the_rag_follows(manager_client, action, staff):
    _deliver(action, staff, from_percent=70)
    response = manager_client.post(
        reverse("action_send_back", args=[action.pk]),
        {"reason": "The audit found gaps.", "percent_complete": "75"},
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.status, action.percent_complete) == (Status.IN_PROGRESS, 75)
    assert action.assess().rag != Rag.GREEN or action.percent_complete < 100
    entry = action.updates.first()
    assert (entry.kind, entry.previous_percent, entry.percent_complete) == (
        UpdateKind.SENT_BACK,
        100,
        75,
    )


@pytest.mark.parametrize("percent", ["100", "-1", "abc", ""])
def test_sending_back_refuses_a_finished_or_bad_figure(manager_client, action, staff, percent):
    _deliver(action, staff, from_percent=70)
    before = action.updates.count()
    response = manager_client.post(
        reverse("action_send_back", args=[action.pk]),
        {"reason": "Gaps.", "percent_complete": percent},
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    action.refresh_from_db()
    assert action.status == Status.DELIVERED
    assert action.updates.count() == before


def test_service_default_is_the_figure_before_delivery(action, staff, manager):
    _deliver(action, staff, from_percent=40)
    services.send_back(action=action, manager=manager, reason="Not yet.")
    action.refresh_from_db()
    assert action.percent_complete == 40


def test_figure_before_delivery_is_never_100(action, staff):
    services.log_progress(
        action=action,
        author=staff,
        note="All but.",
        status=Status.IN_PROGRESS,
        percent_complete=100,
    )
    services.log_progress(
        action=action, author=staff, note="Done.", status=Status.DELIVERED, percent_complete=100
    )
    assert selectors.percent_before_delivery(action) == 99


# --- 11: reassigning leaves a trace in the timeline ---------------------------------------------


def _edit_form(action, owner, contributors=()):
    return {
        "title": action.title,
        "owner": owner.pk,
        "contributors": [person.pk for person in contributors],
        "priority": action.priority,
        "version": action.version,
    }


def test_reassigning_is_a_timeline_entry(manager_client, action, staff, other_staff):
    response = manager_client.post(
        reverse("action_edit", args=[action.pk]), _edit_form(action, other_staff)
    )
    assert response.status_code == 302
    entry = action.updates.get()
    assert entry.kind == UpdateKind.REASSIGNED
    assert entry.note == "Reassigned from Priya Shah to Tom Hughes."
    assert (entry.status, entry.percent_complete) == (action.status, action.percent_complete)
    html = manager_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert "Reassigned from Priya Shah to Tom Hughes." in html


def test_a_contributor_change_is_a_timeline_entry(manager_client, action, staff, other_staff):
    manager_client.post(
        reverse("action_edit", args=[action.pk]), _edit_form(action, staff, [other_staff])
    )
    entry = action.updates.get()
    assert entry.kind == UpdateKind.CONTRIBUTORS_CHANGED
    assert entry.note == "Contributors changed: added Tom Hughes."
    action.refresh_from_db()
    manager_client.post(reverse("action_edit", args=[action.pk]), _edit_form(action, staff))
    assert action.updates.first().note == "Contributors changed: removed Tom Hughes."


def test_an_edit_that_changes_no_one_adds_no_entry(manager_client, action, staff):
    form = _edit_form(action, staff)
    form["title"] = "A clearer title"
    manager_client.post(reverse("action_edit", args=[action.pk]), form)
    assert not action.updates.exists()


def test_an_owner_who_has_left_can_stay_while_other_details_change(action, staff, manager):
    staff.is_active = False
    staff.save()
    edited = services.action_edit(
        action=action, editor=manager, expected_version=action.version, title="Still theirs"
    )
    assert edited.owner == staff


def test_a_deactivated_person_cannot_be_given_an_action(action, manager, other_staff):
    from django.core.exceptions import ValidationError

    other_staff.is_active = False
    other_staff.save()
    with pytest.raises(ValidationError, match="deactivated"):
        services.action_edit(
            action=action, editor=manager, expected_version=action.version, owner=other_staff
        )
    action.refresh_from_db()
    assert action.owner_id != other_staff.pk
    assert not action.updates.exists()
