from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group

from .admin_audit import AuditedAdmin
from .models import Council, Membership, Succession, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["council"]


# Roles come from memberships, not groups; an unused admin page is one less to secure.
admin.site.unregister(Group)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    """Everyone's accounts, for the support team. Council admins run their own
    people on the Team page, by the rule in councils.user_admin_rules."""

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


class SuccessionInline(admin.TabularInline):
    """The councils that took over from this one."""

    model = Succession
    fk_name = "predecessor"
    extra = 0
    autocomplete_fields = ["successor"]
    verbose_name = "successor council"
    verbose_name_plural = "successor councils"


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    """Reference data: the 153 councils and their predecessors."""

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


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "council", "role", "created_at"]
    list_filter = ["role", "council__region"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]
    list_select_related = ["user", "council"]
