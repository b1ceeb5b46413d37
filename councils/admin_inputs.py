"""Hostile input to the admin site gets a refusal, never a server error.

The admin is for superusers only (config/admin.py), but what they paste or
follow (a link with a NUL in it, an id too large for its column, a year out of
range) must still meet a form error or the plain list, as on the service pages.
`harden_admin_site` gives every registered ModelAdmin and inline, the libraries'
too, the safe inputs below.
"""

from django import forms
from django.contrib.admin.filters import SimpleListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError

NUL = "\x00"


def is_valid_value(field, value) -> bool:
    """Whether `value` (from a URL or a form) could be a value of the model field at all.

    An id that is not a number, or is too large for the column, is nobody's id;
    asking the database about it is a server error on some backends.
    """
    if not isinstance(value, str | int) or NUL in str(value):
        return False
    try:
        field.run_validators(field.to_python(value))
    except (ValidationError, ValueError, TypeError, OverflowError):
        return False
    return True


class SafeAutocompleteMixin:
    """Drop selected values that cannot be ids before asking the database for their labels.

    Django's widget looks the submitted ids up to redraw a refused form; "abc"
    there is a server error (ValueError) instead of the form's own message.
    """

    def optgroups(self, name, value, attr=None):
        remote_opts = self.field.remote_field.model._meta
        to_field = remote_opts.get_field(
            getattr(self.field.remote_field, "field_name", None) or remote_opts.pk.name
        )
        value = [v for v in value if is_valid_value(to_field, v)]
        return super().optgroups(name, value, attr)


class SafeAutocompleteSelect(SafeAutocompleteMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SafeAutocompleteMixin, AutocompleteSelectMultiple):
    pass


class SafeModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Refuses values that cannot be ids before asking the database about them.

    Django asks for `pk__in=[...]` first; an id too large for the column is a
    server error there (an overflow on SQLite, a type error on PostgreSQL).
    """

    def _check_values(self, value):
        opts = self.queryset.model._meta
        field = opts.get_field(self.to_field_name) if self.to_field_name else opts.pk
        for pk in value if isinstance(value, list | tuple) else ():
            if not is_valid_value(field, pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SafeRelatedFieldsMixin:
    """For ModelAdmins and inlines: relation fields that answer "not a valid choice", not a 500.

    Autocomplete widgets redraw a refused form without asking the database about
    ids that cannot exist, and multiple choices check their ids before querying.
    And no "view on site" link: its shortcut URL is not served (config/urls.py).
    """

    view_on_site = False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        kwargs.setdefault("form_class", SafeModelMultipleChoiceField)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


# Longer search terms are cut to this: nobody types more, and a database may refuse it.
MAX_SEARCH_LENGTH = 500
# The latest year a date hierarchy may ask for: Django adds a year to find the end.
LAST_YEAR = 9998
DATE_PARTS = {"year": (1, LAST_YEAR), "month": (1, 12), "day": (1, 31)}
# What each kind of list filter reads from the query string, after the field's path.
FIELD_FILTER_SUFFIXES = ("exact", "isnull", "gte", "lt", "isempty")


class SafeAdminInputsMixin(SafeRelatedFieldsMixin):
    """For every ModelAdmin: hostile query strings and forms get a refusal, never a 500.

    - A search term loses any NUL character (PostgreSQL refuses them in a query),
      and is cut to a length worth searching for (SQLite refuses a LIKE pattern
      of 50,000 characters).
    - A changelist's query string may hold only what its filters, date hierarchy,
      search, ordering and pages read: Django would otherwise let any lookup on
      the model's own fields through (`?title__regex=(`, or
      `?password__startswith=` on the user list, an oracle on password hashes).
    - A NUL character anywhere in it, or a date hierarchy year, month or day out
      of range, sends the admin back to the unfiltered list (Django's answer to
      "wacky lookup parameters"), as does any other refused value.
    """

    def get_search_results(self, request, queryset, search_term):
        search_term = search_term.replace(NUL, "")[:MAX_SEARCH_LENGTH]
        return super().get_search_results(request, queryset, search_term)

    def get_changelist_instance(self, request):
        for key, values in request.GET.lists():
            if NUL in key or any(NUL in value for value in values):
                raise IncorrectLookupParameters("NUL character in the query string")
        if self.date_hierarchy:
            for part, (lowest, highest) in DATE_PARTS.items():
                for value in request.GET.getlist(f"{self.date_hierarchy}__{part}"):
                    if not (value.isascii() and value.strip().isdigit()):
                        raise IncorrectLookupParameters(f"{part} is not a number")
                    if not lowest <= int(value) <= highest:
                        raise IncorrectLookupParameters(f"{part} out of range")
        return super().get_changelist_instance(request)

    def expected_lookups(self, request) -> set[str]:
        """The query-string keys this changelist's filters and date hierarchy read."""
        expected = set()
        if self.date_hierarchy:
            expected |= {f"{self.date_hierarchy}__{part}" for part in DATE_PARTS}
        list_filter = self.get_list_filter(request) if request is not None else self.list_filter
        for item in list_filter:
            if isinstance(item, type) and issubclass(item, SimpleListFilter):
                expected.add(item.parameter_name)
                continue
            path = item[0] if isinstance(item, list | tuple) else item
            if not isinstance(path, str):
                continue
            expected |= {f"{path}__{suffix}" for suffix in FIELD_FILTER_SUFFIXES}
            field = get_fields_from_path(self.model, path)[-1]
            if field.is_relation:
                expected.add(f"{path}__{field.target_field.name}__exact")
        return expected

    def lookup_allowed(self, lookup, value, request=None):
        return lookup in self.expected_lookups(request) and super().lookup_allowed(
            lookup, value, request
        )


def _made_safe(cls, mixin):
    return cls if issubclass(cls, mixin) else type(f"Safe{cls.__name__}", (mixin, cls), {})


def harden_admin_site(site) -> None:
    """Give every registered ModelAdmin and inline (the libraries' too) the safe inputs above."""
    for model, model_admin in list(site._registry.items()):
        if not isinstance(model_admin, SafeAdminInputsMixin):
            site.unregister(model)
            site.register(model, _made_safe(type(model_admin), SafeAdminInputsMixin))
            model_admin = site._registry[model]
        model_admin.inlines = [
            _made_safe(inline, SafeRelatedFieldsMixin) for inline in model_admin.inlines
        ]
