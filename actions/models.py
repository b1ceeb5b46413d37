import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from councils.models import Council
from inspections.models import Finding

from .querysets import ActionQuerySet, ProgressUpdateQuerySet
from .rag import Clock, RagAssessment, Status, assess, is_overdue
from .validators import validate_evidence_file

# Free text is bounded so that one pasted document cannot make every page that
# shows it heavy. Forms say the limit in their hints; constraints hold it in the database.
NOTE_MAX_LENGTH = 10_000
DESCRIPTION_MAX_LENGTH = 5_000


def bounded_text(limit: int, noun: str) -> MaxLengthValidator:
    return MaxLengthValidator(limit, f"{noun} must be {limit:,} characters or fewer")


class Priority(models.IntegerChoices):
    HIGH = 1, "High"
    MEDIUM = 2, "Medium"
    LOW = 3, "Low"


class Action(models.Model):
    """One line of the action plan: what will be done about a finding, by whom, by when.

    Status and percent complete are never edited directly: they change only by
    adding a ProgressUpdate, through actions.services.
    """

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="actions")
    title = models.CharField(max_length=200)
    description = models.TextField(
        blank=True,
        help_text="What will be done.",
        validators=[bounded_text(DESCRIPTION_MAX_LENGTH, "What will be done")],
    )
    success_measure = models.TextField(
        "how we will know it worked",
        blank=True,
        help_text="The outcome and how it is measured.",
        validators=[bounded_text(DESCRIPTION_MAX_LENGTH, "How we will know it worked")],
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_actions",
        help_text="The officer responsible.",
    )
    contributors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="contributed_actions",
        help_text="Other people who may log progress on this action.",
    )
    lead_service = models.CharField("lead service or team", max_length=150, blank=True)
    priority = models.PositiveSmallIntegerField(choices=Priority.choices, default=Priority.MEDIUM)
    start_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(help_text="The date first agreed. Kept when the date is revised.")
    revised_due_date = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="signed_off_actions",
    )
    signed_off_at = models.DateTimeField(null=True, blank=True)
    # When progress was last logged (or the action created): "no update for 30 days"
    # is read from here, so the rating needs no subquery over the updates.
    last_progress_at = models.DateTimeField(default=timezone.now)
    # Raised by every save through the services; a form that carries an older
    # version is refused rather than overwriting someone else's change.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ActionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        indexes = [
            models.Index(fields=["status", "due_date"], name="action_status_due"),
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            # The default order: the admin's list of every council's actions reads its
            # first page from this index instead of sorting them all.
            models.Index(fields=["due_date", "id"], name="action_due_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="action_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(due_date__gte=F("start_date")),
                name="action_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(revised_due_date__isnull=True)
                | Q(revised_due_date__gte=F("start_date")),
                name="action_revised_due_after_start",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="action_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(priority__in=Priority.values), name="action_priority_valid"
            ),
            models.CheckConstraint(
                condition=Q(LessThanOrEqual(Length("description"), DESCRIPTION_MAX_LENGTH))
                & Q(LessThanOrEqual(Length("success_measure"), DESCRIPTION_MAX_LENGTH)),
                name="action_text_bounded",
            ),
            # Complete means signed off: by someone, at a time, and fully done.
            models.CheckConstraint(
                condition=~Q(status=Status.COMPLETE)
                | Q(signed_off_by__isnull=False, signed_off_at__isnull=False, percent_complete=100),
                name="action_complete_is_signed_off",
            ),
            models.CheckConstraint(
                condition=Q(status=Status.COMPLETE)
                | Q(signed_off_by__isnull=True, signed_off_at__isnull=True),
                name="action_only_complete_is_signed_off",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("admin:actions_action_change", args=[self.pk])

    @property
    def effective_due_date(self):
        return self.revised_due_date or self.due_date

    @property
    def is_overdue(self) -> bool:
        return is_overdue(
            status=self.status,
            due_date=self.due_date,
            revised_due_date=self.revised_due_date,
            today=timezone.localdate(),
        )

    def assess(self, clock: Clock | None = None) -> RagAssessment:
        return assess(
            status=self.status,
            due_date=self.due_date,
            revised_due_date=self.revised_due_date,
            last_progress_at=self.last_progress_at,
            signed_off_at=self.signed_off_at,
            clock=clock or Clock.current(),
        )

    @property
    def rag(self) -> RagAssessment:
        return self.assess()

    def clean(self):
        errors = {}
        if self.start_date and self.due_date and self.due_date < self.start_date:
            errors["due_date"] = "The due date must be on or after the start date."
        if self.start_date and self.revised_due_date and self.revised_due_date < self.start_date:
            errors["revised_due_date"] = "The revised due date must be on or after the start date."
        if errors:
            raise ValidationError(errors)


class UpdateKind(models.TextChoices):
    PROGRESS = "progress", "Progress update"
    SIGNED_OFF = "signed_off", "Signed off"
    SENT_BACK = "sent_back", "Sent back"
    DUE_DATE_REVISED = "due_date_revised", "Due date revised"
    CANCELLED = "cancelled", "Cancelled"
    REOPENED = "reopened", "Reopened"
    REASSIGNED = "reassigned", "Reassigned"
    CONTRIBUTORS_CHANGED = "contributors_changed", "Contributors changed"
    # Written by the daily reminders (actions.services.record_escalation), not by a person.
    ESCALATED = "escalated", "Escalated"


def evidence_upload_to(instance, filename: str) -> str:
    # A random name on disk: the original name is kept in the database and given
    # back on download, and no one can guess another file's address.
    return f"evidence/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()}"


class ProgressUpdate(models.Model):
    """A dated entry in an action's timeline. Never edited or deleted once written."""

    action = models.ForeignKey(Action, on_delete=models.PROTECT, related_name="updates")
    # The action's council, copied here so that a council's recent updates are read
    # from an index on (council, created_at) rather than by sorting every council's.
    # An action never moves to another council (services.action_edit refuses it).
    # No index of its own: update_council_created serves every lookup by council.
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+", db_index=False)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="progress_updates"
    )
    kind = models.CharField(max_length=20, choices=UpdateKind.choices, default=UpdateKind.PROGRESS)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    note = models.TextField(validators=[bounded_text(NOTE_MAX_LENGTH, "The note")])
    previous_status = models.CharField(max_length=20, choices=Status.choices)
    status = models.CharField("new status", max_length=20, choices=Status.choices)
    previous_percent = models.PositiveSmallIntegerField()
    percent_complete = models.PositiveSmallIntegerField(
        "new percent complete", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    evidence_url = models.URLField("link to evidence", max_length=500, blank=True)
    evidence_file = models.FileField(
        upload_to=evidence_upload_to,
        max_length=200,
        blank=True,
        validators=[validate_evidence_file],
    )
    evidence_file_name = models.CharField("original file name", max_length=255, blank=True)
    # A due-date revision's dates, kept as dates so that the plan as at any moment can be
    # rebuilt without reading them back out of the note (boards.asat).
    previous_due_date = models.DateField("due date before", null=True, blank=True)
    new_due_date = models.DateField("due date after", null=True, blank=True)

    objects = ProgressUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["action", "-created_at"], name="update_action_created"),
            models.Index(fields=["council", "-created_at", "-id"], name="update_council_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="update_percent_0_to_100",
            ),
            models.CheckConstraint(
                condition=Q(status__in=Status.values) & Q(previous_status__in=Status.values),
                name="update_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UpdateKind.values), name="update_kind_valid"
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("note"), NOTE_MAX_LENGTH),
                name="update_note_bounded",
            ),
            # Only a due-date revision moves the due date.
            models.CheckConstraint(
                condition=Q(kind=UpdateKind.DUE_DATE_REVISED)
                | Q(previous_due_date__isnull=True, new_due_date__isnull=True),
                name="update_due_dates_only_on_revision",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.action} by {self.author}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValidationError("Progress updates cannot be changed once written.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError("Progress updates cannot be deleted.")

    @property
    def status_changed(self) -> bool:
        return self.status != self.previous_status


class PlanImportMapping(models.Model):
    """How a council's action plan spreadsheet's columns map to ours, for its next upload.

    `mapping` is {our column key: the file's header text}, as chosen on the import page.
    """

    council = models.OneToOneField(
        Council, on_delete=models.CASCADE, related_name="plan_import_mapping"
    )
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self):
        return f"Plan import columns for {self.council}"
