"""A manager signs off and sends back delivered actions, and an edit made stale is refused."""

import re

import pytest

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status

from ..factories import ActionFactory, ProgressUpdateFactory
from .conftest import FACTORY_PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _delivered(council, owner, title):
    """An action its owner has said is delivered (100%), with that update in its timeline."""
    action = ActionFactory(
        finding__inspection__council=council,
        owner=owner,
        title=title,
        status=Status.DELIVERED,
        percent_complete=100,
    )
    ProgressUpdateFactory(
        action=action,
        note="All pathway plans audited; report attached.",
        previous_status=Status.IN_PROGRESS,
        status=Status.DELIVERED,
        previous_percent=80,
        percent_complete=100,
    )
    return action


@pytest.fixture
def delivered(council, staff):
    return _delivered(council, staff, "Audit every care leaver's pathway plan")


@pytest.fixture
def other_delivered(council, staff):
    return _delivered(council, staff, "Train personal advisers in the new local offer")


def test_manager_signs_off_a_delivered_action(page, manager, staff, delivered):
    sign_in(page, manager.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{delivered.pk}/")
    status = page.locator(".app-action-status")
    assert status.locator(".app-status").inner_text() == "Delivered, awaiting sign-off"
    assert status.locator(".app-rag").inner_text() == "Amber"
    assert_accessible(page)

    page.get_by_role("button", name="Sign off", exact=True).click()
    page.wait_for_url(re.compile(rf"/actions/{delivered.pk}/sign-off/$"))
    assert page.get_by_role("heading", name="Sign off this action", level=1).is_visible()
    assert_accessible(page)
    page.get_by_label("Note (optional)").fill("Checked the audit report at the March board.")
    page.get_by_role("button", name="Sign off", exact=True).click()

    page.wait_for_url(re.compile(rf"/actions/{delivered.pk}/$"))
    assert (
        "The action has been signed off."
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    status = page.locator(".app-action-status")
    assert status.locator(".govuk-tag--blue").inner_text() == "Blue"
    assert status.locator(".app-status").inner_text() == "Complete"
    signed_off_row = page.locator(".govuk-summary-list__row").filter(
        has=page.locator("dt", has_text=re.compile(r"^Signed off$"))
    )
    assert manager.get_full_name() in signed_off_row.inner_text()
    newest = page.locator(".app-timeline__item").first
    assert newest.locator(".app-timeline__title").inner_text() == "Signed off"
    newest_text = newest.inner_text()
    assert manager.get_full_name() in newest_text
    assert "Checked the audit report at the March board." in newest_text
    assert re.search(r"Delivered, awaiting sign-off\s*→?\s*(changed to)?\s*Complete", newest_text)
    # A complete action takes no more progress, and offers to reopen instead.
    assert page.get_by_role("button", name="Save progress update").count() == 0
    assert page.get_by_role("button", name="Reopen this action").is_visible()
    screenshot(page, "manager-01-signed-off")

    delivered.refresh_from_db()
    assert delivered.status == Status.COMPLETE
    assert delivered.signed_off_by_id == manager.pk
    assert delivered.updates.filter(kind=UpdateKind.SIGNED_OFF, author=manager).count() == 1


def test_manager_sends_a_delivered_action_back_with_a_reason(page, manager, other_delivered):
    action = other_delivered
    sign_in(page, manager.username, FACTORY_PASSWORD)
    page.goto(f"/actions/{action.pk}/")
    page.get_by_role("button", name="Send back").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/send-back/$"))

    # No reason: refused, with the GOV.UK error summary.
    page.get_by_role("button", name="Send back").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter why the action is being sent back" in summary.inner_text()
    assert page.title().startswith("Error: ")
    assert_accessible(page)
    action.refresh_from_db()
    assert action.status == Status.DELIVERED

    page.get_by_label("Why is it being sent back?").fill(
        "The audit covers only half the teams: finish the other half."
    )
    page.get_by_role("button", name="Send back").click()
    page.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert (
        "The action has been sent back to its owner."
        in page.locator(".govuk-notification-banner--success").inner_text()
    )
    assert page.locator(".app-action-status .app-status").inner_text() == "In progress"
    newest = page.locator(".app-timeline__item").first
    assert newest.locator(".app-timeline__title").inner_text() == "Sent back"
    assert "The audit covers only half the teams" in newest.inner_text()
    assert_accessible(page)

    action.refresh_from_db()
    assert action.status == Status.IN_PROGRESS
    assert action.signed_off_by_id is None
    sent_back = ProgressUpdate.objects.get(action=action, kind=UpdateKind.SENT_BACK)
    assert sent_back.note == "The audit covers only half the teams: finish the other half."


def test_an_edit_made_stale_by_someone_else_is_refused_and_keeps_what_was_typed(
    page, new_page, manager, second_manager, action
):
    original_title = action.title
    first, second = page, new_page()
    sign_in(first, manager.username, FACTORY_PASSWORD)
    sign_in(second, second_manager.username, FACTORY_PASSWORD)
    # Both open the edit page of the same version.
    for tab in (first, second):
        tab.goto(f"/actions/{action.pk}/edit/")
        assert tab.get_by_label("Title", exact=True).input_value() == original_title
    assert_accessible(second)

    first.get_by_label("Title", exact=True).fill("Title saved by the first manager")
    first.get_by_role("button", name="Save changes").click()
    first.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    banner = first.locator(".govuk-notification-banner--success")
    assert "The action has been updated." in banner.inner_text()

    second.get_by_label("Title", exact=True).fill("Title typed by the second manager")
    second.get_by_role("button", name="Save changes").click()
    second.wait_for_load_state()
    assert second.url.endswith(f"/actions/{action.pk}/edit/")
    summary = second.locator(".govuk-error-summary")
    assert summary.is_visible()
    assert "Someone else changed this action while you were editing it" in summary.inner_text()
    assert second.title().startswith("Error: ")
    # What they typed is still there, and the page says what the action is now.
    assert (
        second.get_by_label("Title", exact=True).input_value()
        == "Title typed by the second manager"
    )
    now = second.locator(".govuk-inset-text").filter(has_text="The action as it is now")
    assert "Title saved by the first manager" in now.inner_text()
    screenshot(second, "manager-02-stale-edit")

    assert Action.objects.get(pk=action.pk).title == "Title saved by the first manager"

    # Saving again (now against the current version) goes through.
    second.get_by_role("button", name="Save changes").click()
    second.wait_for_url(re.compile(rf"/actions/{action.pk}/$"))
    assert Action.objects.get(pk=action.pk).title == "Title typed by the second manager"
