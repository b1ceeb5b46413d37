"""Two copies of the command at the same moment send each reminder once (PostgreSQL only).

Each copy runs in its own thread with its own database connection, released together
at a barrier, as in tests/test_concurrency.py. SQLite serialises all writers, so there
is nothing to race there.
"""

import threading
import time
from collections import Counter
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import connection, connections

from actions.models import ProgressUpdate, UpdateKind
from councils.models import Role
from reminders.models import ReminderLog
from reminders.services import send_reminders
from tests.factories import CouncilFactory

from .conftest import MONDAY, make_action, member

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="real concurrent transactions need PostgreSQL (CI runs them)",
    ),
]


def run_together(*calls):
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def worker(index, call):
        try:
            barrier.wait(timeout=10)
            results[index] = ("ok", call())
        except Exception as error:  # noqa: BLE001 - the test inspects what each thread met
            results[index] = ("error", error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_copies_at_once_send_each_reminder_once():
    people = []
    for name in ("North", "South"):
        council = CouncilFactory(name=name)
        owners = [member(council, Role.STAFF) for _ in range(3)]
        managers = [member(council, Role.MANAGER) for _ in range(2)]
        people += owners + managers
        for owner in owners:
            make_action(council, owner, day=MONDAY, due_in=-3)
            make_action(council, owner, day=MONDAY, due_in=-20, updated_days_ago=40)

    def copy():
        return send_reminders(day=MONDAY, weekly_day="monday")

    # A slow mail server keeps each copy's transaction open while the other reaches the
    # same reminder, so the second really meets the first's uncommitted row.
    real_send = EmailMultiAlternatives.send

    def slow_send(message, *args, **kwargs):
        time.sleep(0.1)
        return real_send(message, *args, **kwargs)

    with mock.patch.object(EmailMultiAlternatives, "send", slow_send):
        results = run_together(copy, copy)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    per_address = Counter(address for message in mail.outbox for address in message.to)
    owners_and_managers = {person.email for person in people}
    assert set(per_address) == owners_and_managers
    digests = Counter(m.to[0] for m in mail.outbox if not m.subject.startswith("Escalated"))
    assert set(digests.values()) == {1}, f"a digest went twice: {digests}"
    escalations = [m for m in mail.outbox if m.subject.startswith("Escalated")]
    assert len(escalations) == 2, "one escalation email per council, from one copy or the other"
    assert ProgressUpdate.objects.filter(kind=UpdateKind.ESCALATED).count() == 6
    assert ReminderLog.objects.count() == 6 + 4 + 6 * 2, (
        "6 owners' digests, 4 managers' digests, and 6 escalations to 2 managers each"
    )
    sent = sum(len(result.owner_digests.sent) for _, result in results)
    already = sum(len(result.owner_digests.already_sent) for _, result in results)
    assert (sent, already) == (6, 6), "each copy tried every digest; each went once"


def test_two_copies_escalating_the_same_action_record_it_once():
    council = CouncilFactory()
    owner = member(council, Role.STAFF)
    member(council, Role.MANAGER)
    for _ in range(5):
        make_action(council, owner, day=MONDAY, due_in=-20, updated_days_ago=40)

    def copy():
        return send_reminders(day=MONDAY, weekly_day="monday")

    results = run_together(copy, copy)

    assert [kind for kind, _ in results] == ["ok", "ok"], results
    assert ProgressUpdate.objects.filter(kind=UpdateKind.ESCALATED).count() == 5
    assert len([m for m in mail.outbox if m.subject.startswith("Escalated")]) == 1
