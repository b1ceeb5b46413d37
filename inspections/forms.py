"""Forms for adding an inspection letter: the letter itself, then the check of what was read."""

import datetime

from crispy_forms_gds.layout import Button, Field, Fixed, Size
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms import formset_factory
from django.utils import timezone

from config.govuk_forms import GovukDateField, GovukForm, date_field
from councils.models import Council

from .frameworks import Grade, framework_on
from .models import (
    GRADED_KINDS,
    Finding,
    FocusTheme,
    InspectionKind,
    Theme,
    ofsted_file_id_validator,
)

# A 200-page report is about a million characters; a letter is a few thousand.
LETTER_MAX_LENGTH = 2_000_000
LETTER_MAX_BYTES = 20 * 2**20
FINDING_MAX_LENGTH = 5_000


class LetterSourceForm(GovukForm):
    """Step 1: the letter's text, pasted, or its file."""

    text = forms.CharField(
        label="Paste the letter's text",
        required=False,
        widget=forms.Textarea,
        help_text="Copy everything from the letter or report, headings included.",
        max_length=LETTER_MAX_LENGTH,
        error_messages={"max_length": "The text is too long for a letter: upload the file instead"},
    )
    letter_file = forms.FileField(
        label="Or upload the letter",
        required=False,
        help_text="The PDF Ofsted published, or a Word (.docx) or text (.txt) file. Up to 20 MB.",
        error_messages={"empty": "The selected file is empty"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.helper = self._helper(
            Field.textarea("text", rows=12),
            Field("letter_file"),
            Button("submit", "Read the letter"),
        )

    def clean_letter_file(self):
        upload = self.cleaned_data.get("letter_file")
        if upload and upload.size > LETTER_MAX_BYTES:
            raise ValidationError("The selected file must be smaller than 20 MB")
        return upload

    def clean(self):
        cleaned = super().clean()
        text, upload = (cleaned.get("text") or "").strip(), cleaned.get("letter_file")
        if not self.errors and not text and not upload:
            raise ValidationError("Paste the letter's text or choose its file")
        if text and upload:
            raise ValidationError("Paste the text or choose a file, not both")
        return cleaned


def _grade_choices(framework) -> list[tuple[str, str]]:
    return [("", "Not graded")] + [
        (str(grade.value), framework.grade_label(grade.value)) for grade in Grade
    ]


INSPECTION_FIELDS = (
    "kind",
    "start_date",
    "end_date",
    "published_on",
    "focus_theme",
    "visit_number",
    "lead_inspector",
    "ofsted_file_id",
)
FINDING_FIELDS = ("text", "short_title", "theme", "is_priority_action", "repeats")


class LetterDetailsForm(GovukForm):
    """Step 2: the inspection as read from the letter, every field editable."""

    kind = forms.ChoiceField(
        label="Kind of inspection or visit",
        choices=[("", "Choose the kind")] + InspectionKind.choices,
        error_messages={"required": "Choose the kind of inspection or visit"},
    )
    focus_theme = forms.ChoiceField(
        label="Focus theme",
        required=False,
        choices=[("", "None")] + FocusTheme.choices,
        help_text="For a focused visit (required), a monitoring visit or a JTAI.",
    )
    visit_number = forms.IntegerField(
        label="Monitoring visit number",
        required=False,
        min_value=1,
        max_value=20,
        help_text="For a monitoring visit: 1 for the first since the inadequate judgement.",
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "invalid": "The visit number must be a whole number from 1 to 20",
            "min_value": "The visit number must be a whole number from 1 to 20",
            "max_value": "The visit number must be a whole number from 1 to 20",
        },
    )
    start_date = GovukDateField(label="First day on site", noun="The first day on site")
    end_date = GovukDateField(label="Last day on site", noun="The last day on site")
    published_on = GovukDateField(label="Date published", noun="The date published", required=False)
    lead_inspector = forms.CharField(
        label="Lead inspector",
        required=False,
        max_length=150,
        help_text="The inspector who led the visit, without the title His Majesty's Inspector.",
        error_messages={"max_length": "The lead inspector's name must be 150 characters or fewer"},
    )
    ofsted_file_id = forms.CharField(
        label="Ofsted file id",
        required=False,
        max_length=12,
        validators=[ofsted_file_id_validator],
        help_text="Optional. The number in the report's address on Ofsted's file service.",
        error_messages={"max_length": "An Ofsted file id is a number of up to 12 digits"},
    )

    def __init__(self, *args, grade_date: datetime.date | None, councils=(), **kwargs):
        super().__init__(*args, **kwargs)
        # A council that took over from others may enter their letters too, as its history.
        councils = list(councils)
        if len(councils) > 1:
            self.fields["council"] = forms.ModelChoiceField(
                label="Whose inspection was it?",
                queryset=Council.objects.filter(pk__in=[c.pk for c in councils]),
                widget=forms.RadioSelect,
                empty_label=None,
                help_text=(
                    f"{councils[0].name} took over from "
                    f"{' and '.join(c.name for c in councils[1:])}: keep their letters as theirs, "
                    f"so that {councils[0].name}'s findings can repeat them."
                ),
                error_messages={"required": "Choose whose inspection it was"},
            )
            # The council itself first, then those it took over from.
            self.fields["council"].choices = [(c.pk, _council_label(c)) for c in councils]
        # One select per judgement area of the framework in force on the first day.
        self.framework = framework_on(grade_date or timezone.localdate())
        self.grade_names = []
        for area in self.framework.areas:
            name = f"grade_{area.value}"
            self.fields[name] = forms.TypedChoiceField(
                label=area.label,
                required=False,
                choices=_grade_choices(self.framework),
                coerce=int,
                empty_value=None,
            )
            self.grade_names.append(name)
        council = [Field.radios("council", legend_size=Size.SMALL)] if len(councils) > 1 else []
        self.helper = self._helper(
            *council,
            Field.select("kind"),
            Field.select("focus_theme"),
            Field.text("visit_number", field_width=Fixed.TWO),
            date_field("start_date"),
            date_field("end_date"),
            date_field("published_on"),
            Field.text("lead_inspector"),
            Field.text("ofsted_file_id", field_width=Fixed.TEN),
        )
        self.grade_helper = self._helper(*(Field.select(name) for name in self.grade_names))

    def inspection_fields(self) -> dict:
        """What inspections.services takes about the inspection itself, grades included."""
        fields = {name: self.cleaned_data[name] for name in INSPECTION_FIELDS}
        fields["focus_theme"] = fields["focus_theme"] or ""
        return {**fields, "grades": self.grades()}

    def grades(self) -> dict[str, int]:
        return {
            name.removeprefix("grade_"): self.cleaned_data[name]
            for name in self.grade_names
            if self.cleaned_data.get(name)
        }

    def clean(self):
        cleaned = super().clean()
        kind, start = cleaned.get("kind"), cleaned.get("start_date")
        if start and framework_on(start) != self.framework:
            raise ValidationError(
                f"On {start:%-d %B %Y} Ofsted judged different areas "
                f"({framework_on(start).name}): choose the grades again below"
            )
        if kind and kind not in GRADED_KINDS and self.grades():
            raise ValidationError(
                f"A {InspectionKind(kind).label.lower()} is not graded: set every grade to "
                "“Not graded”"
            )
        return cleaned


def _council_label(council: Council) -> str:
    if council.abolished_on:
        return f"{council.name} (until {council.abolished_on:%-d %B %Y})"
    return council.name


class LoadedChoiceField(forms.ModelChoiceField):
    """A choice among objects loaded once for a whole formset.

    A ModelChoiceField asks the database for its options each time it is drawn and
    for the chosen object each time it is cleaned: once per finding on the letter
    and edit pages. These are given the objects, so thirty findings cost no more
    queries than one.
    """

    def set_objects(self, objects) -> None:
        self._loaded = {obj.pk: obj for obj in objects}
        self.choices = [("", self.empty_label)] + [
            (obj.pk, self.label_from_instance(obj)) for obj in objects
        ]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return self._loaded[int(value.pk if isinstance(value, Model) else value)]
        except (KeyError, TypeError, ValueError, OverflowError):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from None


class ThemeChoiceField(LoadedChoiceField):
    def label_from_instance(self, theme: Theme) -> str:
        return theme.name


class RepeatChoiceField(LoadedChoiceField):
    def label_from_instance(self, finding: Finding) -> str:
        inspection = finding.inspection
        return (
            f"{inspection.title}, {inspection.start_date:%B %Y}: "
            f"{finding.position}. {finding.short_title}"
        )


class FindingDraftForm(GovukForm):
    """One area for improvement, as it will be saved."""

    order = forms.IntegerField(
        label="Order",
        min_value=1,
        max_value=99,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        help_text="Its place in the letter's list.",
        error_messages={
            "required": "Enter the finding's place in the list",
            "invalid": "The order must be a whole number from 1 to 99",
            "min_value": "The order must be a whole number from 1 to 99",
            "max_value": "The order must be a whole number from 1 to 99",
        },
    )
    text = forms.CharField(
        label="The letter's words",
        widget=forms.Textarea,
        max_length=FINDING_MAX_LENGTH,
        help_text="Exactly as Ofsted wrote it.",
        error_messages={
            "required": "Enter the area for improvement in the letter's words",
            "max_length": f"The finding must be {FINDING_MAX_LENGTH:,} characters or fewer",
        },
    )
    short_title = forms.CharField(
        label="Short title",
        max_length=120,
        help_text="A few words for lists and dashboards.",
        error_messages={
            "required": "Enter a short title",
            "max_length": "The short title must be 120 characters or fewer",
        },
    )
    theme = ThemeChoiceField(
        label="Theme",
        required=False,
        queryset=Theme.objects.none(),
        empty_label="No theme",
        error_messages={"invalid_choice": "Choose a theme from the list"},
    )
    is_priority_action = forms.BooleanField(label="Area for priority action", required=False)
    repeats = RepeatChoiceField(
        label="Repeats an earlier finding",
        required=False,
        queryset=Finding.objects.none(),
        empty_label="No: a new finding",
        help_text="Suggested where an earlier inspection raised the same subject. Check it.",
        error_messages={"invalid_choice": "Choose one of this council's earlier findings"},
    )
    remove = forms.BooleanField(label="Remove this finding", required=False)
    # Set when editing a saved inspection: which finding this form is.
    finding_id = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, themes: list[Theme], earlier: list[Finding], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs.pop("maxlength", None)
        self.fields["theme"].set_objects(themes)
        self.fields["repeats"].set_objects(earlier)
        saved = bool(self.initial.get("finding_id"))
        if saved:
            # A saved finding keeps its actions and history: it is never removed here.
            del self.fields["remove"]
        self.helper = self._helper(
            Field.text("order", field_width=Fixed.TWO),
            Field.textarea("text", rows=4),
            Field.text("short_title"),
            Field.select("theme"),
            Field.checkbox("is_priority_action", small=True),
            Field.select("repeats"),
            *([] if saved else [Field.checkbox("remove", small=True)]),
            Field("finding_id"),
        )

    @property
    def removed(self) -> bool:
        return bool(
            self.is_bound and "remove" in self.fields and self.data.get(self.add_prefix("remove"))
        )

    def full_clean(self):
        # A finding being removed need not be valid.
        super().full_clean()
        if self.removed:
            self._errors = {}


FindingFormSet = formset_factory(FindingDraftForm, extra=0, max_num=30, validate_max=True)


def kept_findings(formset) -> list[dict]:
    """The findings' cleaned data, less those being removed, in the order the admin gave."""
    kept = [form.cleaned_data for form in formset.forms if not form.removed]
    return sorted(kept, key=lambda finding: finding["order"])
