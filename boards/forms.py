import datetime

from crispy_forms_gds.layout import Button, Field, Fixed
from django import forms
from django.utils import timezone

from config.govuk_forms import GovukDateField, GovukForm, bounded_text_field, date_field

from .models import NOTES_MAX_LENGTH

# Meetings are recorded from the ILACS framework's start, and planned up to two years ahead.
EARLIEST_MEETING = datetime.date(2018, 1, 1)
MEETINGS_AHEAD_DAYS = 2 * 366


class MeetingForm(GovukForm):
    held_on = GovukDateField(
        label="Date of the meeting",
        noun="The date of the meeting",
        help_text="For example, 5 3 2026",
    )
    board = forms.CharField(
        label="Name of the board",
        max_length=150,
        help_text="For example, Children's Improvement Board or Scrutiny Committee.",
        error_messages={
            "required": "Enter the name of the board",
            "max_length": "The name of the board must be 150 characters or fewer",
        },
    )
    chair = forms.CharField(
        label="Chair (optional)",
        max_length=150,
        required=False,
        error_messages={"max_length": "The chair's name must be 150 characters or fewer"},
    )
    notes = bounded_text_field(
        label="Notes (optional)",
        noun="The notes",
        limit=NOTES_MAX_LENGTH,
        required=False,
        hint="For example, who attends or what the board asked to see.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            date_field("held_on"),
            Field.text("board"),
            Field.text("chair", field_width=Fixed.THIRTY),
            Field.textarea("notes", rows=3),
            Button("submit", "Add the meeting"),
        )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        latest = timezone.localdate() + datetime.timedelta(days=MEETINGS_AHEAD_DAYS)
        if held_on and not EARLIEST_MEETING <= held_on <= latest:
            raise forms.ValidationError(
                f"The date of the meeting must be between {EARLIEST_MEETING:%-d %B %Y} "
                f"and {latest:%-d %B %Y}"
            )
        return held_on


class SinceForm(GovukForm):
    """The date to count changes from (?since=YYYY-MM-DD, or the date inputs)."""

    since = GovukDateField(
        label="Show what changed since",
        noun="The date to compare with",
        help_text="For example, 5 1 2026",
    )

    def __init__(self, *args, before=None, **kwargs):
        self.before = before
        super().__init__(*args, **kwargs)
        self.helper = self._helper(date_field("since"), Button("submit", "Show changes"))
        self.helper.form_method = "get"

    def clean_since(self):
        since = self.cleaned_data["since"]
        if since and self.before and since >= self.before:
            raise forms.ValidationError(
                f"The date to compare with must be before the meeting, {self.before:%-d %B %Y}"
            )
        return since
