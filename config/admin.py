"""The Django admin site, for the support team only.

Council admins run their councils in the service itself (letters, inspections,
findings, the Team page), so the admin site is for superusers and nobody else.
Anyone else who is signed in gets a 404 for every admin address, as they would
for another council's page: the admin is not there for them, and nothing says
more. Signed-out visitors are sent to the admin's sign-in page, which accepts
only superusers.
"""

from functools import wraps

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import Http404


def is_support(user) -> bool:
    return user.is_active and user.is_superuser


class SupportSignInForm(AdminAuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not user.is_superuser:
            # Django's own wording for a refused admin sign-in: it does not say
            # whether the password was right.
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class SupportAdminSite(admin.AdminSite):
    site_header = "Improvement Tracker administration"
    site_title = "Improvement Tracker"
    index_title = "Support: councils, inspections, findings and action plans"
    # The changelists' progress and RAG columns need the width more than a sidebar does.
    enable_nav_sidebar = False
    login_form = SupportSignInForm

    def has_permission(self, request):
        return is_support(request.user)

    @staticmethod
    def refuse_others(request) -> None:
        """Signed in, but not the support team: the admin is not there for them."""
        if request.user.is_authenticated and not is_support(request.user):
            raise Http404("Not found")

    def admin_view(self, view, cacheable=False):
        guarded = super().admin_view(view, cacheable)

        @wraps(view)
        def support_only(request, *args, **kwargs):
            self.refuse_others(request)
            return guarded(request, *args, **kwargs)

        return support_only

    def login(self, request, extra_context=None):
        self.refuse_others(request)
        return super().login(request, extra_context)
