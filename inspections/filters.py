"""Filters for the inspections list (django-filter), limited to the current council."""

import django_filters
from django import forms

from .frameworks import Grade
from .models import InspectionKind
from .selectors import inspection_years


class GovukSelect(forms.Select):
    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "govuk-select", **(attrs or {})}, choices=choices)


class InspectionFilter(django_filters.FilterSet):
    """Filter a council's inspections by kind, year on site and worst grade.

    The queryset must already be annotated with worst_grade
    (InspectionQuerySet.with_worst_grade()); pass council= for the year choices.
    """

    kind = django_filters.ChoiceFilter(
        label="Type",
        choices=InspectionKind.choices,
        empty_label="All types",
        widget=GovukSelect,
        error_messages={"invalid_choice": "Choose a type of inspection from the list"},
    )
    year = django_filters.ChoiceFilter(
        label="Year",
        field_name="start_date__year",
        empty_label="All years",
        widget=GovukSelect,
        error_messages={"invalid_choice": "Choose a year from the list"},
    )
    grade = django_filters.ChoiceFilter(
        label="Worst grade",
        field_name="worst_grade",
        choices=Grade.choices,
        empty_label="Any grade",
        widget=GovukSelect,
        error_messages={"invalid_choice": "Choose a grade from the list"},
    )

    class Meta:
        fields = ["kind", "year", "grade"]

    def __init__(self, *args, council=None, **kwargs):
        super().__init__(*args, **kwargs)
        years = inspection_years(council) if council is not None else []
        self.filters["year"].extra["choices"] = [(year, str(year)) for year in years]
