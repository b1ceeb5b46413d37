"""GOV.UK Design System form helpers that every app's forms share.

GovukForm lists its errors for the GOV.UK error summary, each linked to the input
to fix; GovukDateField is the day, month and year date input with errors that name
the date; bounded_text_field is a text area whose length limit its hint states;
GovukSelect and ChoicesInOneQuery make long drop-down lists cheap to render.
"""

import datetime

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import RegexValidator
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe


class GovukDateField(DateInputField):
    """The GOV.UK date input (day, month, year) with errors that name the date.

    `noun` is how errors name the date, e.g. "The start date" gives "The start
    date must be a real date".
    """

    def __init__(self, *, noun: str, required: bool = True, **kwargs):
        self.noun = noun
        error_messages = {
            "required": f"Enter {noun[0].lower() + noun[1:]}",
            "incomplete": f"{noun} must include a day, month and year",
            "invalid": f"{noun} must be a real date",
        }
        number = RegexValidator(r"^[0-9]{1,2}\Z", error_messages["invalid"])
        fields = (
            forms.CharField(
                label="Day",
                error_messages={"incomplete": f"{noun} must include a day"},
                validators=[number],
            ),
            forms.CharField(
                label="Month",
                error_messages={"incomplete": f"{noun} must include a month"},
                validators=[number],
            ),
            forms.CharField(
                label="Year",
                error_messages={"incomplete": f"{noun} must include a year"},
                validators=[RegexValidator(r"^[0-9]{4}\Z", "Year must include 4 numbers")],
            ),
        )
        # DateInputField sets its own generic messages; skip to MultiValueField.
        forms.MultiValueField.__init__(
            self,
            fields=fields,
            error_messages=error_messages,
            require_all_fields=False,
            required=required,
            **kwargs,
        )

    def compress(self, data_list):
        day, month, year = data_list
        if not (day and month and year):
            return None
        try:
            return datetime.date(int(year), int(month), int(day))
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def clean(self, value):
        # Surrounding spaces are a slip, not an error.
        if isinstance(value, list | tuple):
            value = [v.strip() if isinstance(v, str) else v for v in value]
        return super().clean(value)


def date_field(name: str) -> Field:
    """A date input with its legend in bold, like the other questions' legends."""
    return Field(name, context={"legend_size": Size.for_legend(Size.SMALL)})


class GovukForm(forms.Form):
    """A form whose errors can be listed in a GOV.UK error summary that links to each input."""

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, message) for each error, the anchor being the first input to fix."""
        links = []
        first = self.visible_fields()[0].auto_id if self.visible_fields() else ""
        for message in self.errors.get(NON_FIELD_ERRORS, []):
            links.append((first, message))
        for bound in self.visible_fields():
            if not bound.errors:
                continue
            widget = bound.field.widget
            anchor = bound.auto_id
            if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
                anchor = f"id_{bound.html_name}_1"
            elif isinstance(widget, forms.MultiWidget):
                # The first of day, month and year that is wrong, else the day.
                anchor = f"{bound.auto_id}_0"
                for index, subfield in enumerate(bound.field.fields):
                    if getattr(subfield.widget, "errors", None):
                        anchor = f"{bound.auto_id}_{index}"
                        break
            for message in bound.errors:
                links.append((anchor, message))
        return links

    def add_service_error(self, error: ValidationError, field_map: dict | None = None) -> None:
        """Put an error raised by a service on the matching field, else on the form."""
        field_map = field_map or {}
        if hasattr(error, "error_dict"):
            for name, errors in error.error_dict.items():
                name = field_map.get(name, name)
                target = name if name in self.fields else None
                for e in errors:
                    self.add_error(target, e)
        else:
            for message in error.messages:
                self.add_error(None, message)

    def _helper(self, *layout) -> FormHelper:
        helper = FormHelper()
        helper.form_tag = False
        helper.layout = Layout(*layout)
        return helper


class BoundedTextField(forms.CharField):
    def widget_attrs(self, widget):
        # No maxlength attribute: a browser would cut a long paste short without a
        # word, where the server's error says what is wrong and keeps the text.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


def bounded_text_field(
    *, label: str, noun: str, limit: int, required: bool = True, hint: str = "", **kwargs
) -> forms.CharField:
    """A text area with a length limit that its hint states and its error repeats."""
    limit_hint = f"You can enter up to {limit:,} characters."
    return BoundedTextField(
        label=label,
        required=required,
        max_length=limit,
        widget=forms.Textarea,
        help_text=f"{hint} {limit_hint}".strip(),
        error_messages={
            "max_length": f"{noun} must be {limit:,} characters or fewer",
            **kwargs.pop("error_messages", {}),
        },
        **kwargs,
    )


class GovukSelect(forms.Select):
    """forms.Select, the same HTML byte for byte, written in Python rather than templates.

    Django writes each <option> through two templates of its own (select_option.html
    and attrs.html), about 0.05 ms an option; even one template loop over them cost
    the actions filter's 276 options more than the 50 rows of the list beneath them.
    The markup is Django's select.html, select_option.html and attrs.html, as they
    render: text is escaped the way the templates escape it.
    """

    def __init__(self, attrs=None, choices=()):
        # GOV.UK's class, which Django's Select gets from crispy-forms-gds by its type.
        super().__init__(attrs={"class": "govuk-select", **(attrs or {})}, choices=choices)

    def render(self, name, value, attrs=None, renderer=None):
        if attrs and attrs.get("aria-invalid") in (True, "true"):
            # Django marks a field with errors aria-invalid; GOV.UK also gives it a red border.
            classes = attrs.get("class", self.attrs.get("class", "govuk-select"))
            attrs = {**attrs, "class": f"{classes} govuk-select--error"}
        widget = self.get_context(name, value, attrs)["widget"]
        html = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                html.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            html.extend(
                f'\n  <option value="{_text(option["value"])}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>\n"
                for option in group_choices
            )
            if group_name:
                html.append("\n  </optgroup>")
        html.append("\n</select>")
        # Every value above is escaped, as the tests against Django's own markup check.
        return mark_safe("".join(html))  # noqa: S308 # nosec B308 B703


def _text(value) -> str:
    """A value as `{{ value|stringformat:'s' }}` writes it: escaped unless already safe."""
    return conditional_escape(value if isinstance(value, str) else str(value))


def _attrs(attrs: dict) -> str:
    """Django's attrs.html: ` name="value"` each, a bare name for True, nothing for False."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{_text(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class ChoicesInOneQuery(ModelChoiceIterator):
    """A model choice list read with one plain query.

    Django reads the choices through queryset.iterator(), which on PostgreSQL opens a
    server-side cursor (DECLARE, FETCH, CLOSE): three round trips for a list of a few
    hundred rows that is read whole anyway.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)
