"""An action more than 14 days overdue with nothing logged since it fell due goes to the
council's managers, once, and its timeline says so."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from actions import services
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.models import Membership, Role
from reminders.models import ReminderKind, ReminderLog

from .conftest import TUESDAY, make_action, member, moment, run, sent_to, signed_in

pytestmark = pytest.mark.django_db


def _escalations(action):
    return list(ProgressUpdate.objects.filter(action=action, kind=UpdateKind.ESCALATED))


@pytest.fixture
def late(council, staff):
    """Due 20 days before TUESDAY, last updated 40 days before it."""
    return make_action(council, staff, due_in=-20, updated_days_ago=40, title="Late and quiet")


def test_escalation_goes_to_every_manager_once_and_is_in_the_timeline(
    council, late, manager, second_manager, staff
):
    before = Action.objects.values().get(pk=late.pk)

    run(TUESDAY)

    (entry,) = _escalations(late)
    assert entry.author.get_full_name() == "Improvement Tracker"
    assert entry.note == (
        f"Escalated to the managers at {council}: 20 days overdue, "
        "no progress logged since 8 May 2025."
    )
    assert entry.created_at.date() == TUESDAY
    assert (entry.previous_status, entry.status) == (Status.IN_PROGRESS, Status.IN_PROGRESS)
    assert Action.objects.values().get(pk=late.pk) == before, (
        "an escalation is not progress: the action, its last update and version stay as they were"
    )
    escalation = next(m for m in mail.outbox if m.subject.startswith("Escalated"))
    assert sorted(escalation.to) == sorted([manager.email, second_manager.email])
    assert late.title in escalation.body and "Owner: Priya Shah" in escalation.body
    assert set(
        ReminderLog.objects.filter(kind=ReminderKind.ESCALATION).values_list(
            "user_id", "action_id", "council_id"
        )
    ) == {(manager.pk, late.pk, council.pk), (second_manager.pk, late.pk, council.pk)}

    mail.outbox.clear()
    for day in (TUESDAY + datetime.timedelta(days=n) for n in range(1, 8)):
        run(day)
    assert len(_escalations(late)) == 1, "escalated once, not every day after"
    assert not [m for m in mail.outbox if m.subject.startswith("Escalated")]


def test_the_action_page_shows_the_escalation(council, late, manager):
    run(TUESDAY)

    page = signed_in(manager).get(f"/actions/{late.pk}/")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Escalated" in html and "Improvement Tracker" in html


def test_the_system_account_cannot_sign_in_and_belongs_nowhere(late, manager):
    run(TUESDAY)

    author = _escalations(late)[0].author
    assert author.username == services.SYSTEM_USERNAME
    assert not author.is_active and not author.has_usable_password()
    assert not author.is_staff and not author.is_superuser
    assert not Membership.objects.filter(user=author).exists()
    assert services.system_user() == author, "one account, created once"


def test_several_actions_of_a_council_go_in_one_email(council, staff, manager):
    first = make_action(council, staff, due_in=-15, updated_days_ago=16)
    second = make_action(council, staff, due_in=-30, updated_days_ago=31)

    run(TUESDAY)

    (escalation,) = [m for m in mail.outbox if m.subject.startswith("Escalated")]
    assert escalation.subject.startswith("Escalated to you: 2 actions at")
    assert first.title in escalation.body and second.title in escalation.body


@pytest.mark.parametrize(
    ("due_in", "updated_days_ago", "status", "why"),
    [
        (-14, 30, Status.IN_PROGRESS, "exactly 14 days overdue is not more than 14"),
        (-20, 5, Status.IN_PROGRESS, "progress was logged after it fell due"),
        (-20, 40, Status.DELIVERED, "delivered: waiting for sign-off, not late"),
        (-20, 40, Status.CANCELLED, "cancelled"),
    ],
)
def test_what_does_not_escalate(council, staff, manager, due_in, updated_days_ago, status, why):
    action = make_action(
        council, staff, due_in=due_in, updated_days_ago=updated_days_ago, status=status
    )

    run(TUESDAY)

    assert _escalations(action) == [], why


def test_progress_on_the_due_date_itself_still_counts_as_silence_since(council, staff, manager):
    action = make_action(council, staff, due_in=-20, updated_days_ago=20)

    run(TUESDAY)

    assert len(_escalations(action)) == 1


def test_blocked_and_overdue_escalates_too(council, staff, manager):
    action = make_action(council, staff, due_in=-20, updated_days_ago=40, status=Status.BLOCKED)

    run(TUESDAY)

    assert "blocked, 20 days overdue" in _escalations(action)[0].note


def test_it_escalates_again_after_new_progress_and_a_new_silence(council, late, manager):
    run(TUESDAY)
    # The next day the manager moves the date; it then slips again, and nobody says anything.
    next_day = TUESDAY + datetime.timedelta(days=1)
    services.revise_due_date(
        action=late,
        manager=manager,
        revised_due_date=next_day + datetime.timedelta(days=1),
        reason="Agreed at the board",
        recorded_at=moment(next_day),
    )

    run(next_day + datetime.timedelta(days=15))
    assert len(_escalations(late)) == 1, "14 days overdue: not yet"
    run(next_day + datetime.timedelta(days=16))
    assert len(_escalations(late)) == 2, "15 days overdue, silent since the new date was set"


def test_without_an_active_manager_nothing_is_escalated_or_recorded(
    council, late, manager, second_manager
):
    manager.is_active = False
    manager.save()
    Membership.objects.filter(user=second_manager).delete()

    run(TUESDAY)

    assert _escalations(late) == []
    assert not [m for m in mail.outbox if m.subject.startswith("Escalated")]


def test_inactive_managers_and_staff_are_not_sent_escalations(council, late, manager, staff):
    retired = member(council, Role.MANAGER)
    retired.is_active = False
    retired.save()

    run(TUESDAY)

    (escalation,) = [m for m in mail.outbox if m.subject.startswith("Escalated")]
    assert escalation.to == [manager.email]
    assert sent_to(retired.email) == []


# --- The service ---------------------------------------------------------------------------


def test_record_escalation_refuses_an_action_that_is_not_overdue(council, staff):
    action = make_action(council, staff, due_in=3)

    with pytest.raises(ValidationError, match="Only an overdue action"):
        services.record_escalation(action=action, recorded_at=moment(TUESDAY))
    assert _escalations(action) == []


def test_record_escalation_refuses_twice_without_progress_between(late):
    services.record_escalation(action=late, recorded_at=moment(TUESDAY))

    with pytest.raises(ValidationError, match="escalated already"):
        services.record_escalation(action=late, recorded_at=moment(TUESDAY, 11))
    assert len(_escalations(late)) == 1
