"""Never the same reminder twice for a day; a reminder that could not be sent is tried again."""

import datetime
import smtplib
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.core.management.base import CommandError

from actions.models import ProgressUpdate, UpdateKind
from reminders.models import ReminderKind, ReminderLog

from .conftest import MONDAY, make_action, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_monday(council, staff, manager):
    make_action(council, staff, day=MONDAY, due_in=-3, title="Owner's overdue")
    make_action(council, staff, day=MONDAY, due_in=-20, updated_days_ago=40, title="Escalate")


def _escalation_entries():
    return ProgressUpdate.objects.filter(kind=UpdateKind.ESCALATED).count()


def test_running_twice_on_the_same_day_sends_nothing_new(busy_monday):
    run(MONDAY)
    sent, logged, entries = len(mail.outbox), ReminderLog.objects.count(), _escalation_entries()
    assert sent == 3, "the owner's digest, the managers' digest and the escalation"

    output = run(MONDAY)

    assert len(mail.outbox) == sent
    assert ReminderLog.objects.count() == logged
    assert _escalation_entries() == entries
    assert "Owners' digests: 0 sent, 1 sent already" in output
    assert "Managers' weekly digests: 0 sent, 1 sent already" in output


def test_the_next_day_brings_a_new_digest(busy_monday, staff):
    run(MONDAY)
    mail.outbox.clear()

    run(MONDAY + datetime.timedelta(days=1))

    assert [m.to for m in mail.outbox] == [[staff.email]], "only the owner's daily digest"


def test_a_dry_run_sends_and_records_nothing(busy_monday, staff):
    output = run(MONDAY, "--dry-run")

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert _escalation_entries() == 0
    assert f"would send: {staff.email} (2 actions)" in output
    assert "would send: Escalate" in output


def test_a_dry_run_after_a_run_says_what_went_already(busy_monday, staff):
    run(MONDAY)

    output = run(MONDAY, "--dry-run")

    assert f"sent already: {staff.email}" in output


@pytest.mark.parametrize(
    "error",
    [smtplib.SMTPServerDisconnected("gone"), ConnectionRefusedError(111, "refused")],
    ids=["smtp", "network"],
)
def test_a_failed_send_records_nothing_and_the_next_run_retries(busy_monday, error):
    with (
        mock.patch.object(EmailMultiAlternatives, "send", side_effect=error),
        pytest.raises(CommandError, match="3 reminders could not be sent"),
    ):
        run(MONDAY)
    assert ReminderLog.objects.count() == 0, "the log rows were rolled back with the failure"
    assert _escalation_entries() == 0, "an escalation not sent is not in the timeline"

    run(MONDAY)

    assert len(mail.outbox) == 3
    assert _escalation_entries() == 1
    assert set(ReminderLog.objects.values_list("kind", flat=True)) == set(ReminderKind.values)


def test_one_failure_does_not_stop_the_others(council, staff, other_staff):
    make_action(council, staff, due_in=-3)
    make_action(council, other_staff, due_in=-3)
    real_send = EmailMultiAlternatives.send

    def send_unless_to_priya(message, *args, **kwargs):
        if staff.email in message.to:
            raise smtplib.SMTPRecipientsRefused({staff.email: (550, b"no")})
        return real_send(message, *args, **kwargs)

    with (
        mock.patch.object(EmailMultiAlternatives, "send", send_unless_to_priya),
        pytest.raises(CommandError, match="1 reminder could not be sent"),
    ):
        run()

    assert [m.to for m in mail.outbox] == [[other_staff.email]]
    assert list(ReminderLog.objects.values_list("user_id", flat=True)) == [other_staff.pk]
