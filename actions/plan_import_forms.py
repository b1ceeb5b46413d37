"""Forms for bringing an action plan in: the file, then which of its columns is which."""

from crispy_forms_gds.layout import Button, Field
from django import forms
from django.core.exceptions import ValidationError

from config.govuk_forms import GovukForm

from .forms import OwnerChoiceField
from .plan_import import MAX_FILE_BYTES, PlanSheet, file_kind, target_columns

ACCEPTED_KINDS = ("xlsx", "csv")


class PlanUploadForm(GovukForm):
    plan_file = forms.FileField(
        label="Upload the action plan",
        help_text=(
            "An Excel workbook (.xlsx) or a CSV file, smaller than "
            f"{MAX_FILE_BYTES // 2**20} MB, with a row of column headings. Workbooks with "
            "macros or a password are not accepted."
        ),
        error_messages={
            "required": "Choose the action plan's file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read: choose it again",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_file"].widget.attrs["accept"] = ".xlsx,.csv"
        self.helper = self._helper(Field("plan_file"), Button("submit", "Upload and check"))

    def clean_plan_file(self):
        upload = self.cleaned_data["plan_file"]
        if upload.size > MAX_FILE_BYTES:
            raise ValidationError(
                f"The selected file must be smaller than {MAX_FILE_BYTES // 2**20} MB"
            )
        kind = file_kind(upload.name)
        if kind in ("xlsm", "xltm"):
            raise ValidationError(
                "The selected file contains macros: save it from Excel as an Excel Workbook "
                "(.xlsx) and upload that"
            )
        if kind == "xls":
            raise ValidationError(
                "The selected file is in the old Excel format (.xls): save it as an Excel "
                "Workbook (.xlsx) and upload that"
            )
        if kind not in ACCEPTED_KINDS:
            raise ValidationError("The selected file must be an Excel workbook (.xlsx) or a CSV")
        return upload


NOT_IN_FILE = ""
# Hints where plan_columns' help (written for the template's notes sheet) does not fit here.
HINTS = {
    "status": (
        "Where the action stands, in words such as not started, on track, delayed, blocked, "
        "delivered, complete or cancelled. A RAG colour is not a status."
    ),
    "percent_complete": "A number from 0 to 100 (45 or 45%). Empty means 0.",
}


class ColumnMappingForm(GovukForm):
    """For each of our columns, the file's column that holds it (or none)."""

    def __init__(self, *args, sheet: PlanSheet, people, mapping: dict[str, int], **kwargs):
        initial = {key: str(index) for key, index in mapping.items()}
        kwargs["initial"] = {**initial, **(kwargs.get("initial") or {})}
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        choices = [(NOT_IN_FILE, "Not in this file")] + [
            (str(index), sheet.column_label(index)) for index in range(len(sheet.headers))
        ]
        for column in target_columns():
            examples = sheet.examples(mapping[column.key]) if column.key in mapping else []
            hint = HINTS.get(column.key, column.help)
            if column.required:
                hint = f"Required. {hint}"
            if examples:
                hint += f" In this file, for example: {'; '.join(examples).rstrip('.')}."
            self.fields[column.key] = forms.ChoiceField(
                label=column.heading,
                choices=choices,
                required=False,
                help_text=hint,
                # Django %-formats this message: "% complete" must not read as a format.
                error_messages={
                    "invalid_choice": f"Choose a column for {column.heading}".replace("%", "%%")
                },
            )
        self.fields["placeholder_owner"] = OwnerChoiceField(
            label="Placeholder owner",
            queryset=people,
            required=False,
            empty_label="None: list owners the tracker does not know as problems",
            help_text=(
                "Optional. Actions whose owner is not a member of the council, or has no "
                "owner, go to this person until a manager reassigns them."
            ),
            error_messages={"invalid_choice": "Choose a member of the council"},
        )
        self.helper = self._helper(
            *(Field.select(column.key) for column in target_columns()),
            Field.select("placeholder_owner"),
            Button("submit", "Check the plan"),
        )

    def clean(self):
        cleaned = super().clean()
        used: dict[str, str] = {}
        for column in target_columns():
            value = cleaned.get(column.key)
            if value in (None, NOT_IN_FILE):
                continue
            if value in used:
                self.add_error(
                    column.key,
                    f"{self.sheet.column_label(int(value))} is already chosen for "
                    f"{used[value]}: choose another column, or “Not in this file”",
                )
            else:
                used[value] = column.heading
        for key in ("title", "due_date"):
            if cleaned.get(key) in (None, NOT_IN_FILE) and key not in self.errors:
                self.add_error(key, f"Choose the column for {self.fields[key].label}")
        if cleaned.get("finding") in (None, NOT_IN_FILE) and cleaned.get("finding_number") in (
            None,
            NOT_IN_FILE,
        ):
            self.add_error("finding", "Choose the column for the finding, or for its number")
        if cleaned.get("owner") in (None, NOT_IN_FILE) and not cleaned.get("placeholder_owner"):
            self.add_error("owner", "Choose the column for the owner, or a placeholder owner")
        return cleaned

    def mapping(self) -> dict[str, int]:
        return {
            column.key: int(self.cleaned_data[column.key])
            for column in target_columns()
            if self.cleaned_data.get(column.key) not in (None, NOT_IN_FILE)
        }


class SheetChoiceForm(GovukForm):
    sheet = forms.ChoiceField(
        label="Sheet to read", error_messages={"invalid_choice": "Choose a sheet"}
    )

    def __init__(self, *args, sheet: PlanSheet, **kwargs):
        kwargs.setdefault("initial", {"sheet": sheet.name})
        super().__init__(*args, prefix="sheet", **kwargs)
        self.fields["sheet"].choices = [(name, name) for name in sheet.sheet_names]
        self.helper = self._helper(
            Field.select("sheet"),
            Button.secondary("submit", "Read this sheet"),
        )
