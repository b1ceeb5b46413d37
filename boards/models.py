"""Improvement board meetings, and the figures a meeting was shown once frozen.

Reporting sits at the top of the house: boards reads councils, inspections and
actions; nothing imports boards.
"""

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse

from councils.models import Council

NOTES_MAX_LENGTH = 5_000


class BoardMeetingQuerySet(models.QuerySet):
    def for_council(self, council):
        return self.filter(council=council)

    def before(self, meeting: "BoardMeeting"):
        """The council's meetings held before this one (same day: the earlier added)."""
        return self.filter(council_id=meeting.council_id).filter(
            Q(held_on__lt=meeting.held_on) | Q(held_on=meeting.held_on, pk__lt=meeting.pk)
        )


class BoardMeeting(models.Model):
    """A meeting of a council's improvement board (or scrutiny committee) that reads the plan."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="board_meetings")
    held_on = models.DateField("date of the meeting")
    board = models.CharField(
        "name of the board", max_length=150, help_text="For example, Children's Improvement Board."
    )
    chair = models.CharField(max_length=150, blank=True)
    notes = models.TextField(
        blank=True,
        validators=[
            MaxLengthValidator(
                NOTES_MAX_LENGTH, f"Notes must be {NOTES_MAX_LENGTH:,} characters or fewer"
            )
        ],
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Set once, when the meeting's figures are stored in its BoardSnapshot.
    frozen_at = models.DateTimeField(null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = BoardMeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["council", "-held_on"], name="board_meeting_council_held")]
        constraints = [
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), NOTES_MAX_LENGTH),
                name="board_meeting_notes_bounded",
            ),
            models.CheckConstraint(
                condition=Q(frozen_at__isnull=True, frozen_by__isnull=True)
                | Q(frozen_at__isnull=False, frozen_by__isnull=False),
                name="board_meeting_frozen_by_someone",
            ),
        ]

    def __str__(self):
        return f"{self.board}, {self.held_on:%-d %B %Y}"

    def get_absolute_url(self):
        return reverse("board_detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class BoardSnapshot(models.Model):
    """What a frozen meeting was shown: the plan as at the meeting, and what had changed.

    `figures` is boards.asat.PlanAsAt.to_json(); `changes` is boards.changes.Changes.to_json()
    against the meeting before (or null when there was none). Written once, never changed,
    so a later correction to the timeline never alters what the board saw.
    """

    meeting = models.OneToOneField(BoardMeeting, on_delete=models.PROTECT, related_name="snapshot")
    as_at = models.DateTimeField(help_text="The moment the figures are as at.")
    figures = models.JSONField()
    changes = models.JSONField(null=True, blank=True)
    # boards.trends.Trend.to_json(): the pack's trends up to the meeting (null if frozen
    # before packs had trends).
    trend = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Figures for {self.meeting}"


class DailySnapshot(models.Model):
    """A council's plan figures at the end of one day, so that trends need no rebuild.

    Written by `manage.py take_snapshots` (boards.services.take_daily_snapshots), once a
    council and day: the unique constraint holds when the command runs twice or two copies
    run at once. `figures` maps each subject ("council", "finding:<pk>", "theme:<pk>") to
    its boards.asat.Totals as a list (boards.snapshots.FIELDS), but only the subjects whose
    figures changed since the snapshot before (null for one that has gone). A full snapshot,
    every subject, is stored on the first day of each month and after a gap, so a reader
    starts from the last full one before the days it needs (boards.snapshots.figures_on).
    """

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    as_at = models.DateTimeField(help_text="The moment the figures are as at: the day's end.")
    is_full = models.BooleanField(default=False)
    figures = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["council", "day"]
        constraints = [
            models.UniqueConstraint(fields=["council", "day"], name="daily_snapshot_once_a_day"),
        ]

    def __str__(self):
        return f"Figures for {self.council} at the end of {self.day:%-d %B %Y}"
