"""Who wants reminders how often, and which reminders have gone out.

ReminderLog is what keeps a reminder from going twice: the sender inserts the row
in the transaction that sends the email, under a unique constraint, so a second
run on the same day (or a second copy running at the same moment) finds the row
taken and sends nothing. A failed send rolls the row back, so the next run tries
again.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from actions.models import Action
from councils.models import Council


class Frequency(models.TextChoices):
    DAILY = "daily", "Every day"
    WEEKLY = "weekly", "Once a week"
    NONE = "none", "Never"


class ReminderPreference(models.Model):
    """How often a person wants their digests. Without one, they get them daily."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.DAILY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="reminder_frequency_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: reminders {self.get_frequency_display().lower()}"


class ReminderKind(models.TextChoices):
    OWNER_DIGEST = "owner_digest", "Digest of your actions"
    MANAGER_DIGEST = "manager_digest", "Weekly exceptions for managers"
    ESCALATION = "escalation", "Escalation"


DIGEST_KINDS = (ReminderKind.OWNER_DIGEST, ReminderKind.MANAGER_DIGEST)


class ReminderLog(models.Model):
    """One reminder sent to one person on one day.

    A digest covers all the person's councils, so it names no action and no council;
    an escalation names the action and its council.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_logs"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    action = models.ForeignKey(
        Action, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    council = models.ForeignKey(
        Council, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The day the reminder is for, in England (the command's --date).
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day", "-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "kind", "day", "action"], name="reminder_once_per_day"
            ),
            # Databases count NULLs as all different, so the constraint above lets a
            # digest (no action) in twice: this one does not.
            models.UniqueConstraint(
                fields=["user", "kind", "day"],
                condition=Q(action__isnull=True),
                name="reminder_digest_once_per_day",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReminderKind.values), name="reminder_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=ReminderKind.ESCALATION, action__isnull=False)
                | Q(kind__in=DIGEST_KINDS, action__isnull=True),
                name="reminder_action_only_for_escalation",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.user} on {self.day:%-d %B %Y}"
