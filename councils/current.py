"""The council a signed-in user is working on now.

A user may belong to several councils; pages show one at a time. The choice is
kept in the session and always checked against the user's memberships, so a
stale or forged session value never reaches another council.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from .models import Council, Membership, Role

SESSION_KEY = "current_council_id"


def councils_for(user):
    """The councils the user may switch between."""
    if not user.is_authenticated:
        return Council.objects.none()
    return Council.objects.for_user(user).order_by("name")


def current_membership(request) -> Membership | None:
    """The user's membership at the current council (None for a superuser without one)."""
    if hasattr(request, "_current_membership"):
        return request._current_membership
    membership = None
    user = request.user
    if user.is_authenticated:
        memberships = Membership.objects.filter(user=user).select_related("council")
        chosen = request.session.get(SESSION_KEY)
        if chosen:
            membership = memberships.filter(council_id=chosen).first()
        if membership is None:
            membership = memberships.order_by("council__name").first()
    request._current_membership = membership
    return membership


def current_council(request) -> Council | None:
    if hasattr(request, "_current_council"):
        return request._current_council
    council = None
    membership = current_membership(request)
    if membership is not None:
        council = membership.council
    elif request.user.is_authenticated and request.user.is_superuser:
        chosen = request.session.get(SESSION_KEY)
        council = Council.objects.filter(pk=chosen).first() if chosen else None
    request._current_council = council
    return council


def current_role(request) -> Role | None:
    if request.user.is_authenticated and request.user.is_superuser:
        return Role.ADMIN
    membership = current_membership(request)
    return Role(membership.role) if membership else None


def set_current_council(request, council: Council) -> None:
    if not councils_for(request.user).filter(pk=council.pk).exists():
        raise Http404("No such council")
    request.session[SESSION_KEY] = council.pk
    for attribute in ("_current_council", "_current_membership"):
        if hasattr(request, attribute):
            delattr(request, attribute)


class CouncilMixin(LoginRequiredMixin):
    """For pages about one council: sets self.council and self.role, or answers 404."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.council = current_council(request)
        if self.council is None:
            raise Http404("You are not a member of any council yet.")
        self.role = current_role(request)
        return super().dispatch(request, *args, **kwargs)

    @property
    def is_manager(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_manager"] = self.is_manager
        return context
