from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet

from .admin_audit import AuditedAdmin, user_history_since
from .admin_scoping import (
    CouncilScopedAdmin,
    CouncilScopedFieldsMixin,
    SafeRelatedFieldsMixin,
    admin_council_ids,
    autocomplete_source,
)
from .models import Council, Membership, Succession, User
from .user_admin_rules import administrable_users, can_administer_user


class MembershipFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        if getattr(self, "requires_membership", False):
            kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
            if not kept:
                raise ValidationError("Give the person a role at one of your councils.")


class MembershipInline(CouncilScopedFieldsMixin, admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 1
    autocomplete_fields = ["council"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        # A council admin only sees people with a role at their councils, so a
        # person they add must get one, or they would vanish from the list.
        formset.requires_membership = not request.user.is_superuser
        return formset

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        ids = admin_council_ids(request)
        return queryset if ids is None else queryset.filter(council__in=ids)


# Roles come from memberships, not groups; an unused admin page is one less to secure.
admin.site.unregister(Group)

# Only a superuser may hand out these: a council admin manages roles, not powers.
SUPERUSER_ONLY_USER_FIELDS = ("is_superuser", "groups", "user_permissions", "is_staff")


@admin.register(User)
class UserAdmin(CouncilScopedAdmin, BaseUserAdmin):
    """People, as far as the admin may manage them (councils.user_admin_rules).

    A council admin sees, changes, sets the password of, deactivates and deletes
    only the people they may administer; anyone else's pages answer 404, as
    another council's objects do. Their colleagues with more power (other
    admins, superusers, members of other councils) are in the memberships list,
    read only.
    """

    council_path = "memberships__council"
    council_path_is_many = True
    inlines = [MembershipInline]
    list_display = ["username", "email", "first_name", "last_name", "job_title", "is_active"]
    search_fields = ["username", "email", "first_name", "last_name"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Council work", {"fields": ("job_title",)}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "email",
                    "first_name",
                    "last_name",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += SUPERUSER_ONLY_USER_FIELDS
        return readonly

    def get_queryset(self, request):
        queryset = super().get_queryset(request)  # people with a role at the admin's councils
        if request.user.is_superuser:
            return queryset
        source = autocomplete_source(request)
        if source is not None and source != MEMBERSHIP_USER:
            # Choosing an action's owner or contributors: any member of the admin's
            # councils (the service checks they belong to the action's council).
            return queryset
        return administrable_users(request.user, queryset)

    def get_object(self, request, object_id, from_field=None):
        # The queryset already narrows to the people the admin may manage; the rule
        # itself has the last word on every page that names one person.
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and not can_administer_user(request.user, obj):
            return None
        return obj

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_administer_user(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_administer_user(request.user, obj))

    def delete_queryset(self, request, queryset):
        if not all(can_administer_user(request.user, user) for user in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)

    def history_view(self, request, object_id, extra_context=None):
        # The log of admin changes to a person. A council admin reads only what
        # happened since the person last belonged to a council outside theirs:
        # earlier entries may be another council's business.
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and not request.user.is_superuser:
            request._user_history_since = user_history_since(obj, admin_council_ids(request))
        return super().history_view(request, object_id, extra_context)

    def get_paginator(self, request, queryset, per_page, *args, **kwargs):
        since = getattr(request, "_user_history_since", None)
        if since is not None and queryset.model is LogEntry:
            queryset = queryset.filter(action_time__gt=since)
        return super().get_paginator(request, queryset, per_page, *args, **kwargs)


class SuccessionInline(SafeRelatedFieldsMixin, admin.TabularInline):
    """The councils that took over from this one (superusers only: reference data)."""

    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "successor council"
    verbose_name_plural = "successor councils"

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Council)
class CouncilAdmin(CouncilScopedAdmin, AuditedAdmin):
    """Reference data: council admins may read their own council; only superusers change it."""

    council_path = "pk"
    list_display = [
        "name",
        "dfe_la_code",
        "gss_code",
        "ofsted_urn",
        "region",
        "council_type",
        "is_active",
    ]
    list_filter = ["region", "council_type", "is_active"]
    search_fields = ["name", "dfe_la_code", "gss_code", "ofsted_urn"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [SuccessionInline]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(CouncilScopedAdmin, AuditedAdmin):
    """Roles at the admin's councils. Only those of people the admin may manage can change:
    otherwise a council admin could demote, remove or promote someone with more power."""

    list_display = ["user", "council", "role", "created_at"]
    list_filter = ["role", "council__region"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]
    list_select_related = ["user", "council"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "user" and field is not None:
            field.queryset = administrable_users(request.user, field.queryset)
        return field

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or can_administer_user(request.user, obj.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or can_administer_user(request.user, obj.user))


# The autocomplete that chooses whose membership it is: the same rule as the user pages.
MEMBERSHIP_USER = ("councils", "membership", "user")
