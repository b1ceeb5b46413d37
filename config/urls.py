from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.urls import include, path, re_path
from django.views.generic import TemplateView

from actions import plan_export_views
from boards.views import DashboardView
from councils.admin_inputs import harden_admin_site
from councils.forms import SignInForm

from .health import healthz


def not_found(request, *args, **kwargs):
    raise Http404("Not found")


# Every ModelAdmin, the libraries' too, refuses hostile query strings cleanly.
harden_admin_site(admin.site)

urlpatterns = [
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            authentication_form=SignInForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accessibility/",
        TemplateView.as_view(template_name="accessibility.html"),
        name="accessibility",
    ),
    path("inspections/", include("inspections.urls")),
    path("inspections/", include("actions.plan_urls")),
    path("actions/", include("actions.urls")),
    path("reminders/", include("reminders.urls")),
    path("boards/", include("boards.urls")),
    path("", include("team.urls")),
    path("", DashboardView.as_view(), name="dashboard"),
    path("plan.xlsx", plan_export_views.CouncilPlanXlsxView.as_view(), name="council_plan_xlsx"),
    path("", include("councils.urls")),
    # The admin's "view on site" shortcut looks objects up without the council
    # scoping; nothing here needs it, so it is not served, however its ids are
    # spelt ("+24", "024", " 24"): everything under admin/r/ is a 404.
    re_path(r"^admin/r/", not_found, name="view_on_site_disabled"),
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
]
