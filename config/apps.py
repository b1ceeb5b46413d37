from django.contrib.admin.apps import AdminConfig


class SupportAdminConfig(AdminConfig):
    """Django's admin app with our site: superusers only (config/admin.py)."""

    default_site = "config.admin.SupportAdminSite"

    def ready(self):
        super().ready()
        # Connects the sign-in signal that starts the session renewal clock.
        from . import sessions  # noqa: F401
