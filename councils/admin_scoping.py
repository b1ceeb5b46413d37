"""Keep the admin site to the councils a user administers.

A council admin (is_staff, with an admin membership) sees and changes only
their own councils' rows, and every select box or autocomplete offers only
those councils' objects. A superuser sees everything. Another council's object
is a 404, as on the rest of the site, so nothing reveals that it exists.
"""

from django.contrib.auth import get_user_model
from django.http import Http404

from .models import Council, Role


def admin_council_ids(request) -> list[int] | None:
    """The councils this user administers; None means every council (a superuser)."""
    if request.user.is_superuser:
        return None
    if not hasattr(request, "_admin_council_ids"):
        request._admin_council_ids = list(
            Council.objects.filter(
                memberships__user=request.user, memberships__role=Role.ADMIN
            ).values_list("pk", flat=True)
        )
    return request._admin_council_ids


def _scope_choices(queryset, ids):
    """Limit a related model's choices to the given councils, by what the model is."""
    from actions.models import Action
    from inspections.models import Finding, Inspection

    model = queryset.model
    paths = {
        Council: "pk__in",
        Inspection: "council__in",
        Finding: "inspection__council__in",
        Action: "finding__inspection__council__in",
        get_user_model(): "memberships__council__in",
    }
    path = paths.get(model)
    if path is None:
        return queryset
    return queryset.filter(**{path: ids}).distinct()


class CouncilScopedFieldsMixin:
    """For ModelAdmins and inlines: select boxes offer only the user's councils' objects."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        ids = admin_council_ids(request)
        if field is not None and ids is not None and hasattr(field, "queryset"):
            field.queryset = _scope_choices(field.queryset, ids)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        ids = admin_council_ids(request)
        if field is not None and ids is not None and hasattr(field, "queryset"):
            field.queryset = _scope_choices(field.queryset, ids)
        return field


class CouncilScopedAdmin(CouncilScopedFieldsMixin):
    """Mix into a ModelAdmin and set `council_path` to the lookup from the model to its council."""

    council_path = "council"
    # True where the path crosses a many-valued relation (a user's memberships).
    council_path_is_many = False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = admin_council_ids(request)
        if ids is None:
            return queryset
        lookup = "pk__in" if self.council_path == "pk" else f"{self.council_path}__in"
        queryset = queryset.filter(**{lookup: ids})
        return queryset.distinct() if self.council_path_is_many else queryset

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django would redirect with "doesn't exist. Perhaps it was deleted?"; a 404
        # says no more about another council's objects than the rest of the site.
        raise Http404("No such object")
