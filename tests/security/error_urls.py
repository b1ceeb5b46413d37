"""The site's URLs plus views that fail on purpose, for tests/security/test_error_pages.py."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("A malformed request, on purpose")


def forbidden(request):
    raise PermissionDenied("Only a manager at this council can do that.")


def server_error(request):
    raise RuntimeError("A secret detail that must never reach the page")


urlpatterns = [
    path("fail/400/", bad_request),
    path("fail/403/", forbidden),
    path("fail/500/", server_error),
    *site_urlpatterns,
]
