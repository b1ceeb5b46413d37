"""Every write of the reminders: sending them (once each) and people's preferences.

Each reminder is one transaction: insert its ReminderLog row (unique per person,
kind, day and action), send the email, commit. If the row is there already, from
an earlier run or from another copy running now (the unique constraint makes that
copy wait for ours, then fail to insert), nothing is sent. If the email cannot be
sent, the row is rolled back, so the next run tries again.

Escalations add a timeline entry to each action (actions.services.record_escalation)
in the same transaction, so an escalation is recorded if and only if it was sent.
"""

import datetime
import logging
import smtplib
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from actions.rag import Clock
from actions.services import record_escalation

from . import emails
from .models import Frequency, ReminderKind, ReminderLog, ReminderPreference
from .selectors import Digest, Escalation, ReminderPlan, plan_reminders, sent_on

logger = logging.getLogger(__name__)

# What a mail server or the network can raise; anything else is a bug and stops the run.
EMAIL_ERRORS = (smtplib.SMTPException, OSError)


@dataclass
class Tally:
    """What happened to one kind of reminder in a run."""

    sent: list[str] = field(default_factory=list)
    already_sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


@dataclass
class RunResult:
    plan: ReminderPlan
    dry_run: bool
    owner_digests: Tally = field(default_factory=Tally)
    manager_digests: Tally = field(default_factory=Tally)
    escalations: Tally = field(default_factory=Tally)

    @property
    def failed(self) -> int:
        return sum(
            len(tally.failed)
            for tally in (self.owner_digests, self.manager_digests, self.escalations)
        )


def send_reminders(*, day: datetime.date, weekly_day: str, dry_run: bool = False) -> RunResult:
    """Send `day`'s digests and escalations (run daily; safe to run again, or twice at once).

    With `dry_run`, works out the same and writes and sends nothing.
    """
    clock = clock_for(day)
    plan = plan_reminders(day=day, clock=clock, weekly_day=weekly_day)
    result = RunResult(plan=plan, dry_run=dry_run)
    if dry_run:
        _dry_run(plan, result)
        return result
    # Escalations first: their timeline entries are the record that they happened.
    for escalation in plan.escalations:
        _send_escalation(escalation, plan, result.escalations)
    for digest in plan.owner_digests:
        _send_digest(digest, emails.owner_digest(digest, plan), plan.day, result.owner_digests)
    for digest in plan.manager_digests:
        _send_digest(digest, emails.manager_digest(digest, plan), plan.day, result.manager_digests)
    return result


def clock_for(day: datetime.date) -> Clock:
    """'Now' on `day`: today's time of day, moved to that day (for --date)."""
    now = timezone.now() + datetime.timedelta(days=(day - timezone.localdate()).days)
    return Clock(today=day, now=now)


def _describe(digest: Digest) -> str:
    return f"{digest.user.email} ({len(digest.entries)} actions)"


def _send_digest(digest: Digest, message, day: datetime.date, tally: Tally) -> None:
    try:
        with transaction.atomic():
            _, created = ReminderLog.objects.get_or_create(
                user=digest.user, kind=digest.kind, day=day, action=None
            )
            if not created:
                tally.already_sent.append(_describe(digest))
                return
            message.send()
    except EMAIL_ERRORS:
        logger.exception("Could not send a %s to %s", digest.kind.label, digest.user.email)
        tally.failed.append(_describe(digest))
        return
    tally.sent.append(_describe(digest))


def _send_escalation(escalation: Escalation, plan: ReminderPlan, tally: Tally) -> None:
    council = escalation.council
    try:
        with transaction.atomic():
            escalated = []
            # In id order, as every copy of the command does, so two copies never deadlock.
            for action in escalation.actions:
                try:
                    record_escalation(action=action, recorded_at=plan.clock.now)
                except ValidationError:
                    # Escalated by another copy meanwhile, or no longer overdue.
                    tally.already_sent.append(f"{action} ({council})")
                    continue
                escalated.append(action)
            if not escalated:
                return
            ReminderLog.objects.bulk_create(
                ReminderLog(
                    user=manager,
                    kind=ReminderKind.ESCALATION,
                    action=action,
                    council=council,
                    day=plan.day,
                )
                for action in escalated
                for manager in escalation.managers
            )
            emails.escalation(escalation, escalated, plan).send()
    except EMAIL_ERRORS:
        logger.exception("Could not send the escalations for %s", council)
        tally.failed.extend(f"{action} ({council})" for action in escalation.actions)
        return
    except IntegrityError:
        # Logged already today: nothing is written twice, and nothing is sent.
        tally.already_sent.extend(f"{action} ({council})" for action in escalation.actions)
        return
    tally.sent.extend(f"{action} ({council})" for action in escalated)


def _dry_run(plan: ReminderPlan, result: RunResult) -> None:
    sent = sent_on(plan.day)
    for digests, tally in (
        (plan.owner_digests, result.owner_digests),
        (plan.manager_digests, result.manager_digests),
    ):
        for digest in digests:
            done = (digest.user.pk, digest.kind, None) in sent
            (tally.already_sent if done else tally.sent).append(_describe(digest))
    for escalation in plan.escalations:
        result.escalations.sent.extend(
            f"{action} ({escalation.council})" for action in escalation.actions
        )


def set_frequency(*, user, frequency: str) -> ReminderPreference:
    """Record how often this person wants their digests."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose every day, once a week or never"})
    preference, _ = ReminderPreference.objects.update_or_create(
        user=user, defaults={"frequency": frequency}
    )
    return preference
