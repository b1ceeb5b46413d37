"""The filters of the actions list, kept in the URL so a view can be bookmarked.

Every choice offered comes from the current council, and every filter narrows a
queryset that already starts from it: a forged id matches nothing.
"""

import django_filters
from django import forms
from django.conf import settings
from django.db.models import Q

from config.govuk_forms import ChoicesInOneQuery, GovukForm, GovukSelect
from inspections.models import Finding

from . import selectors
from .models import Action, Priority
from .rag import Clock, Rag, Status

DATE_HINT = "For example, 31/3/2026"


class CouncilChoiceField(forms.ModelChoiceField):
    """One of the council's objects: read in one query, its options written in one loop."""

    iterator = ChoicesInOneQuery
    widget = GovukSelect


class CouncilChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = CouncilChoiceField


class FindingChoiceField(CouncilChoiceField):
    def label_from_instance(self, finding: Finding) -> str:
        inspection = finding.inspection
        return (
            f"{inspection.start_date:%b %Y} {inspection.title.lower()}: "
            f"{finding.position}. {finding.short_title}"
        )


class FindingFilter(CouncilChoiceFilter):
    field_class = FindingChoiceField


class InspectionChoiceField(CouncilChoiceField):
    def label_from_instance(self, inspection) -> str:
        return f"{inspection.title} ({inspection.start_date:%B %Y})"


class InspectionFilter(CouncilChoiceFilter):
    field_class = InspectionChoiceField


class OwnerChoiceField(CouncilChoiceField):
    def label_from_instance(self, user) -> str:
        return user.get_full_name() or user.username


class OwnerFilter(CouncilChoiceFilter):
    field_class = OwnerChoiceField


class CheckboxFilter(django_filters.Filter):
    """A single tick box: `?name=1` turns it on; absent or anything false leaves it off."""

    field_class = forms.BooleanField


def _date_field_errors(label: str) -> dict:
    return {"invalid": f"{label} must be a real date, for example 31/3/2026"}


class ActionFilterForm(GovukForm):
    """The filter form; templates/actions/_filter_form.html lays it out in GOV.UK markup.

    A filter with a bad value is listed in the error summary, linked to its input,
    and left out; the page says which filters were not applied.
    """

    def unapplied(self) -> list[str]:
        """The labels of the filters whose values were refused."""
        return [str(self.fields[name].label) for name in self.errors if name in self.fields]


def _pick_from_list(noun: str) -> dict:
    """A link naming a choice the list no longer offers (someone who left, a typo)."""
    # Words for a person, not SQL (a GOV.UK error message for a select starts "Select").
    return {"invalid_choice": f"Select {noun} from the list"}  # noqa: S608 # nosec B608


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_text",
        help_text="Words in the title, description, finding or owner's name",
    )
    inspection = InspectionFilter(
        label="Inspection",
        field_name="finding__inspection",
        queryset=None,
        empty_label="All inspections",
        error_messages=_pick_from_list("an inspection"),
    )
    finding = FindingFilter(
        queryset=None, empty_label="All findings", error_messages=_pick_from_list("a finding")
    )
    theme = CouncilChoiceFilter(
        label="Theme",
        field_name="finding__theme",
        queryset=None,
        empty_label="All themes",
        error_messages=_pick_from_list("a theme"),
    )
    owner = OwnerFilter(
        queryset=None, empty_label="Anyone", error_messages=_pick_from_list("an owner")
    )
    status = django_filters.ChoiceFilter(
        choices=Status.choices,
        empty_label="Any status",
        widget=GovukSelect,
        error_messages=_pick_from_list("a status"),
    )
    rag = django_filters.ChoiceFilter(
        label="RAG",
        choices=Rag.choices,
        empty_label="Any rating",
        method="filter_rag",
        widget=GovukSelect,
        error_messages=_pick_from_list("a RAG rating"),
    )
    priority = django_filters.ChoiceFilter(
        choices=Priority.choices,
        empty_label="Any priority",
        widget=GovukSelect,
        error_messages=_pick_from_list("a priority"),
    )
    due_after = django_filters.DateFilter(
        label="Due on or after",
        field_name="effective_due",
        lookup_expr="gte",
        help_text=DATE_HINT,
        input_formats=settings.DATE_INPUT_FORMATS,
        error_messages=_date_field_errors("Due on or after"),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    due_before = django_filters.DateFilter(
        label="Due on or before",
        field_name="effective_due",
        lookup_expr="lte",
        help_text=DATE_HINT,
        input_formats=settings.DATE_INPUT_FORMATS,
        error_messages=_date_field_errors("Due on or before"),
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )
    overdue = CheckboxFilter(label="Overdue only", method="filter_overdue", required=False)
    sort = django_filters.ChoiceFilter(
        choices=[(key, key) for key in selectors.SORTS],
        method="filter_sort",
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Action
        fields = []
        form = ActionFilterForm

    def __init__(self, data=None, queryset=None, *, council, clock: Clock, **kwargs):
        self.council = council
        self.clock = clock
        if data is not None and data.get("sort") and data.get("sort") not in selectors.SORTS:
            # The sort comes from our own links, never typed: an unknown one is
            # dropped for the default rather than reported as the user's mistake.
            data = data.copy()
            data.pop("sort")
        super().__init__(data, queryset, **kwargs)
        self.filters["inspection"].queryset = selectors.council_inspections(council)
        self.filters["finding"].queryset = selectors.council_findings(council)
        self.filters["theme"].queryset = selectors.council_themes(council)
        self.filters["owner"].queryset = selectors.council_owners(council)

    def filter_text(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(
                Q(title__icontains=word)
                | Q(description__icontains=word)
                | Q(finding__short_title__icontains=word)
                | Q(owner__first_name__icontains=word)
                | Q(owner__last_name__icontains=word)
                | Q(owner__username__icontains=word)
            )
        return queryset

    def filter_rag(self, queryset, name, value):
        return queryset.with_rag_colour(Rag(value), self.clock)

    def filter_overdue(self, queryset, name, value):
        return queryset.overdue(self.clock) if value else queryset

    def filter_sort(self, queryset, name, value):
        return selectors.sorted_actions(queryset, value)

    @property
    def current_sort(self) -> str:
        """The sort in force: the one asked for if it is allowed, else the default."""
        if self.is_bound and self.is_valid():
            return self.form.cleaned_data.get("sort") or selectors.DEFAULT_SORT
        value = (self.data or {}).get("sort")
        return value if value in selectors.SORTS else selectors.DEFAULT_SORT

    @property
    def active(self) -> bool:
        """Whether any filter (not just the sort) is in the URL."""
        return self.is_bound and any(self.data.get(name) for name in self.filters if name != "sort")
