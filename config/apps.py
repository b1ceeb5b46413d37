from django.contrib.admin.apps import AdminConfig


class SupportAdminConfig(AdminConfig):
    """Django's admin app with our site: superusers only (config/admin.py)."""

    default_site = "config.admin.SupportAdminSite"
