from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .admin_audit import AuditedAdmin
from .models import Council, Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["council"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
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
                "fields": ("username", "email", "first_name", "last_name", "password1", "password2"),
            },
        ),
    )


@admin.register(Council)
class CouncilAdmin(AuditedAdmin):
    list_display = ["name", "dfe_la_code", "gss_code", "ofsted_urn", "region", "council_type", "is_active"]
    list_filter = ["region", "council_type", "is_active"]
    search_fields = ["name", "dfe_la_code", "gss_code", "ofsted_urn"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["successor"]
    list_select_related = ["successor"]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = ["user", "council", "role", "created_at"]
    list_filter = ["role", "council__region"]
    search_fields = ["user__username", "user__email", "council__name"]
    autocomplete_fields = ["user", "council"]
    list_select_related = ["user", "council"]
