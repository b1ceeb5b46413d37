"""Forms for the action pages, laid out with crispy-forms-gds.

Forms check what they can before anything is written (the services' own rules
included, through services.validate_progress); the services check again inside
their transaction, and the views put any error they raise back on the form.
"""

from crispy_forms_gds.layout import Button, Field, Fixed, Size
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from config.govuk_forms import GovukDateField, GovukForm, bounded_text_field, date_field

from . import services
from .models import DESCRIPTION_MAX_LENGTH, NOTE_MAX_LENGTH, Action, Priority
from .rag import Status
from .validators import validate_evidence_file


def _evidence_help() -> str:
    # The kinds in words; a refused file's error lists them exactly (validators.py).
    limit = settings.EVIDENCE_MAX_BYTES
    size = f"{limit // 2**20} MB" if limit % 2**20 == 0 else filesizeformat(limit)
    return (
        "Optional. A PDF, Word, Excel, PowerPoint, OpenDocument, image, text or CSV file, "
        f"smaller than {size}. If the page shows a problem, choose the file again."
    )


class LogProgressForm(GovukForm):
    note = bounded_text_field(
        label="What has happened since the last update?",
        noun="The note",
        limit=NOTE_MAX_LENGTH,
        error_messages={"required": "Enter a note saying what has happened"},
    )
    status = forms.ChoiceField(
        label="What is its status now?",
        widget=forms.RadioSelect,
        choices=[(s.value, s.label) for s in services.LOGGABLE_STATUSES],
        error_messages={
            "required": "Choose a status",
            "invalid_choice": "Choose not started, in progress, blocked or delivered",
        },
    )
    percent_complete = forms.IntegerField(
        label="How complete is it, as a percentage?",
        help_text="A whole number from 0 to 100. Delivered means 100.",
        min_value=0,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter percent complete, from 0 to 100",
            "invalid": "Percent complete must be a whole number from 0 to 100",
            "min_value": "Percent complete must be a whole number from 0 to 100",
            "max_value": "Percent complete must be a whole number from 0 to 100",
        },
    )
    evidence_url = forms.URLField(
        label="Link to evidence",
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"class": "govuk-input", "spellcheck": "false"}),
        help_text="Optional. For example, a link to a document on the council's intranet",
        error_messages={
            "invalid": "Enter the link in the right format, like https://intranet.example.gov.uk/doc",
            "max_length": "The link must be 500 characters or fewer",
        },
    )
    evidence_file = forms.FileField(
        label="Upload evidence",
        required=False,
        validators=[validate_evidence_file],
        error_messages={
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        },
    )

    def __init__(self, *args, action: Action, **kwargs):
        self.action = action
        kwargs["initial"] = {
            **{
                "status": action.status
                if action.status in services.LOGGABLE_STATUSES
                else Status.IN_PROGRESS,
                "percent_complete": action.percent_complete,
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, **kwargs)
        self.fields["evidence_file"].help_text = _evidence_help()
        self.helper = self._helper(
            Field.textarea("note", rows=4),
            Field.radios("status", legend_size=Size.SMALL),
            Field.text("percent_complete", field_width=Fixed.THREE),
            Field.text("evidence_url"),
            Field("evidence_file"),
            Button("submit", "Save progress update"),
        )

    def clean(self):
        cleaned = super().clean()
        if {"status", "percent_complete", "note"} - cleaned.keys():
            return cleaned  # Each missing one already has its own error.
        try:
            services.validate_progress(
                action=self.action,
                status=cleaned["status"],
                percent_complete=cleaned["percent_complete"],
                note=cleaned["note"],
            )
        except ValidationError as error:
            self.add_service_error(error)
        return cleaned


# The largest id a database column can hold: SQLite raises OverflowError (a server
# error) for a bigger number, where PostgreSQL simply finds nothing.
_MAX_ID = 2**63 - 1


def _is_possible_id(value) -> bool:
    try:
        return 0 < int(str(value).strip()) <= _MAX_ID
    except ValueError:
        return False


class OwnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user) -> str:
        name = user.get_full_name() or user.username
        return f"{name}, {user.job_title}" if user.job_title else name

    def to_python(self, value):
        if value not in self.empty_values and not _is_possible_id(value):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class ContributorsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username

    def _check_values(self, value):
        for each in value:
            if not _is_possible_id(each):
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": each},
                )
        return super()._check_values(value)


class ActionFieldsForm(GovukForm):
    """What an action is: the fields that adding and editing an action share."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        error_messages={
            "required": "Enter a title for the action",
            "max_length": "The title must be 200 characters or fewer",
        },
    )
    description = bounded_text_field(
        label="What will be done",
        noun="What will be done",
        limit=DESCRIPTION_MAX_LENGTH,
        required=False,
    )
    success_measure = bounded_text_field(
        label="How we will know it worked",
        noun="How we will know it worked",
        limit=DESCRIPTION_MAX_LENGTH,
        required=False,
        hint="The outcome and how it is measured.",
    )
    owner = OwnerChoiceField(
        label="Owner",
        queryset=None,
        empty_label=None,
        help_text="The officer responsible",
        error_messages={
            "required": "Choose who owns the action",
            "invalid_choice": "Choose an owner from this council",
        },
    )
    contributors = ContributorsField(
        label="Contributors",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Other people who may log progress on this action",
        error_messages={"invalid_choice": "Choose contributors from this council"},
    )
    lead_service = forms.CharField(
        label="Lead service or team",
        max_length=150,
        required=False,
        error_messages={"max_length": "The lead service must be 150 characters or fewer"},
    )
    priority = forms.TypedChoiceField(
        label="Priority",
        choices=Priority.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a priority", "invalid_choice": "Choose a priority"},
    )
    start_date = GovukDateField(
        label="Start date",
        noun="The start date",
        required=False,
        help_text="Optional. For example, 27 3 2026",
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people
        self.fields["contributors"].queryset = people

    DETAIL_FIELDS = (
        "title",
        "description",
        "success_measure",
        "owner",
        "lead_service",
        "priority",
        "start_date",
    )

    def detail_fields(self) -> tuple[str, ...]:
        """The fields that services.action_create and action_edit take by name."""
        return self.DETAIL_FIELDS

    def detail_layout(self) -> list:
        return [
            Field.text("title"),
            Field.textarea("description", rows=4),
            Field.textarea("success_measure", rows=3),
            Field.select("owner"),
            Field.checkboxes("contributors", legend_size=Size.SMALL, small=True),
            Field.text("lead_service", field_width=Fixed.THIRTY),
            Field.radios("priority", legend_size=Size.SMALL, small=True),
            date_field("start_date"),
        ]

    def clean(self):
        cleaned = super().clean()
        owner = cleaned.get("owner")
        if owner:
            # The owner can log progress anyway; listing them again as a contributor is noise.
            cleaned["contributors"] = [
                user for user in cleaned.get("contributors") or [] if user.pk != owner.pk
            ]
        return cleaned


class ActionCreateForm(ActionFieldsForm):
    due_date = GovukDateField(
        label="Due date", noun="The due date", help_text="For example, 31 3 2027"
    )

    def __init__(self, *args, people, **kwargs):
        kwargs["initial"] = {"priority": Priority.MEDIUM, **(kwargs.get("initial") or {})}
        super().__init__(*args, people=people, **kwargs)
        # No one chosen until the manager chooses: a preselected owner is easily missed.
        self.fields["owner"].empty_label = "Choose who owns the action"
        self.helper = self._helper(
            *self.detail_layout(), date_field("due_date"), Button("submit", "Add action")
        )

    def clean(self):
        cleaned = super().clean()
        start, due = cleaned.get("start_date"), cleaned.get("due_date")
        if start and due and due < start:
            self.add_error("due_date", "The due date must be on or after the start date")
        return cleaned


class ActionEditForm(ActionFieldsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, action: Action, people, **kwargs):
        self.action = action
        kwargs["initial"] = {
            **{
                "title": action.title,
                "description": action.description,
                "success_measure": action.success_measure,
                "owner": action.owner_id,
                "contributors": [user.pk for user in action.contributors.all()],
                "lead_service": action.lead_service,
                "priority": action.priority,
                "start_date": action.start_date,
                "version": action.version,
            },
            **(kwargs.get("initial") or {}),
        }
        super().__init__(*args, people=people, **kwargs)
        self.helper = self._helper(
            *self.detail_layout(), Field("version"), Button("submit", "Save changes")
        )

    def clean(self):
        cleaned = super().clean()
        start = cleaned.get("start_date")
        if start:
            for due, label in (
                (self.action.due_date, "due date"),
                (self.action.revised_due_date, "revised due date"),
            ):
                if due and start > due:
                    self.add_error(
                        "start_date",
                        f"The start date must be on or before the {label}, {due:%-d %B %Y}",
                    )
                    break
        return cleaned

    def differences_from(self, current: Action) -> list[tuple[str, str]]:
        """(label, value now) for each field where the action now differs from what was typed."""
        changes = []
        for name, typed in self.edited_fields(partial=True).items():
            now = getattr(current, name)
            if now == typed:
                continue
            if name == "priority":
                shown = current.get_priority_display()
            elif name == "owner":
                shown = now.get_full_name() or now.username
            elif name == "start_date":
                shown = f"{now:%-d %B %Y}" if now else "Not given"
            else:
                shown = now or "Not given"
            changes.append((self.fields[name].label, shown))
        typed_people = {user.pk for user in self.cleaned_data.get("contributors") or []}
        people_now = list(current.contributors.all())
        if "contributors" in self.cleaned_data and typed_people != {u.pk for u in people_now}:
            changes.append(("Contributors", ", ".join(str(user) for user in people_now) or "None"))
        return changes

    def edited_fields(self, partial: bool = False) -> dict:
        """What to pass to services.action_edit besides the contributors."""
        names = self.DETAIL_FIELDS
        if partial:
            return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}
        return {name: self.cleaned_data[name] for name in names}


class ReviseDueDateForm(GovukForm):
    revised_due_date = GovukDateField(
        label="New due date", noun="The new due date", help_text="For example, 27 3 2026"
    )
    reason = bounded_text_field(
        label="Why is the due date changing?",
        noun="The reason",
        limit=NOTE_MAX_LENGTH,
        hint="This is kept in the action's history, with the original due date.",
        error_messages={"required": "Enter why the due date is changing"},
    )

    def __init__(self, *args, action: Action, **kwargs):
        self.action = action
        super().__init__(*args, **kwargs)
        self.helper = self._helper(
            date_field("revised_due_date"),
            Field.textarea("reason", rows=3),
            Button("submit", "Change the due date"),
        )

    def clean_revised_due_date(self):
        value = self.cleaned_data["revised_due_date"]
        start = self.action.start_date
        if value and start and value < start:
            raise ValidationError(
                f"The due date must be on or after the start date, {start:%-d %B %Y}"
            )
        if value and value == self.action.effective_due_date:
            raise ValidationError(f"The action is already due on {value:%-d %B %Y}")
        return value


class SignOffForm(GovukForm):
    note = bounded_text_field(
        label="Note (optional)",
        noun="The note",
        limit=NOTE_MAX_LENGTH,
        required=False,
        hint="For example, the evidence you checked or who agreed it at the board.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = self._helper(Field.textarea("note", rows=3), Button("submit", "Sign off"))


class ReasonForm(GovukForm):
    """A reason and a button: for sending back, cancelling and reopening."""

    reason = bounded_text_field(label="Reason", noun="The reason", limit=NOTE_MAX_LENGTH)

    def __init__(
        self, *args, label: str, required_message: str, button: str, warning: bool = False, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["reason"].label = label
        self.fields["reason"].error_messages["required"] = required_message
        self.submit = Button.warning("submit", button) if warning else Button("submit", button)
        self.helper = self._helper(*self.layout_fields(), self.submit)

    def layout_fields(self) -> list:
        return [Field.textarea("reason", rows=3)]


class SendBackForm(ReasonForm):
    """Sending back also asks how complete the action really is: it is not finished."""

    percent_complete = forms.IntegerField(
        label="How complete is it, as a percentage?",
        help_text="A whole number from 0 to 99. It was delivered at 100%; this is what is "
        "really done.",
        min_value=0,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={
            "required": "Enter how complete the action is, from 0 to 99",
            "invalid": "Percent complete must be a whole number from 0 to 99",
            "min_value": "Percent complete must be a whole number from 0 to 99",
            "max_value": "An action sent back is not finished: enter a number from 0 to 99",
        },
    )

    def layout_fields(self) -> list:
        return [
            Field.textarea("reason", rows=3),
            Field.text("percent_complete", field_width=Fixed.THREE),
        ]
