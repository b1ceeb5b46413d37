from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .admin_audit import AuditedAdmin
from .admin_scoping import CouncilScopedAdmin, CouncilScopedFieldsMixin, admin_council_ids
from .models import Council, Membership, User


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
    autocomplete_fields = ["successor"]
    list_select_related = ["successor"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Membership)
class MembershipAdmin(CouncilScopedAdmin, AuditedAdmin):
    list_display = ["user", "council", "role", "created_at"]
    list_filter = ["role", "council__region"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]
    list_select_related = ["user", "council"]
