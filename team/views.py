"""The Team page: a council's admins run its team (invite, change roles, remove).

Its rules are councils' (councils/services.py, councils/user_admin_rules.py); it lives
above councils/ and actions/ because it shows how many open actions each person owns.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.views.generic import FormView, TemplateView

from councils import services
from councils.forms import ChangeRoleForm, InviteForm
from councils.models import Role
from councils.views import CouncilPageMixin

from . import selectors


class TeamAdminMixin(CouncilPageMixin):
    """For the Team pages: the current council's admins (and superusers) only; others get 403."""

    nav_section = "team"

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        handler = getattr(super(), "post", None)
        if handler is None:  # a page that only shows
            return self.http_method_not_allowed(request, *args, **kwargs)
        return handler(request, *args, **kwargs)

    def check_allowed(self) -> None:
        if self.role != Role.ADMIN:
            raise PermissionDenied("Only an admin of this council can run its team.")

    def site_url(self) -> str:
        return self.request.build_absolute_uri("/")


class TeamView(TeamAdminMixin, TemplateView):
    template_name = "councils/team.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["team"] = selectors.team(self.council, self.request.user)
        return context


class InviteView(TeamAdminMixin, FormView):
    template_name = "councils/team_invite.html"
    form_class = InviteForm
    # Errors from the new account's own checks, on the field they came from.
    field_map = {"username": "email"}

    def form_valid(self, form):
        try:
            invitation = services.invite_member(
                council=self.council,
                invited_by=self.request.user,
                site_url=self.site_url(),
                **form.cleaned_data,
            )
        except ValidationError as error:
            form.add_service_error(error, self.field_map)
            return self.form_invalid(form)
        user = invitation.membership.user
        role = invitation.membership.get_role_display().lower()
        if invitation.new_account:
            message = f"{user} has been invited as {role}. We have emailed them at {user.email}."
        else:
            message = (
                f"{user} already had an account, and has been added to the team as {role}. "
                "We have emailed them to say so."
            )
        messages.success(self.request, message)
        return redirect("team")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lifetime"] = services.link_lifetime()
        return context


class MembershipMixin(TeamAdminMixin):
    """One member of the current council's team.

    Someone who is not a member here, or whose account this admin may not manage
    (councils.user_admin_rules), is a 404 like a membership that does not exist.
    """

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.membership_pk = kwargs["pk"]

    @cached_property
    def membership(self):
        return selectors.council_membership(self.council, self.membership_pk)

    def check_allowed(self) -> None:
        membership = self.membership  # another council's member: 404 before any 403
        super().check_allowed()
        if not services.can_change_membership(self.request.user, membership):
            raise Http404("No such member")

    @property
    def is_self(self) -> bool:
        return self.membership.user_id == self.request.user.pk

    def after_change(self):
        """Back to the Team page, or to the dashboard for an admin who is no longer one."""
        if self.is_self:
            return redirect("dashboard")
        return redirect("team")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(membership=self.membership, person=self.membership.user)
        context["is_self"] = self.is_self
        return context


class ChangeRoleView(MembershipMixin, FormView):
    template_name = "councils/team_change_role.html"
    form_class = ChangeRoleForm

    def get_initial(self):
        return {"role": self.membership.role}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": str(self.membership.user)}

    def form_valid(self, form):
        before = self.membership.role
        try:
            membership = services.change_role(
                membership=self.membership,
                role=form.cleaned_data["role"],
                changed_by=self.request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        role = membership.get_role_display().lower()
        if membership.role == before:
            messages.success(self.request, f"{membership.user} is still {role}: nothing changed.")
        elif self.is_self:
            messages.success(self.request, f"You are now {role} at {self.council}.")
        else:
            messages.success(self.request, f"{membership.user} is now {role}.")
        return self.after_change()


class RemoveMemberView(MembershipMixin, TemplateView):
    template_name = "councils/team_remove.html"

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        person = self.membership.user
        try:
            services.remove_member(membership=self.membership, removed_by=request.user)
        except ValidationError as error:
            return self.render_to_response(self.get_context_data(refusal=" ".join(error.messages)))
        if self.is_self:
            messages.success(request, f"You have left {self.council}'s team.")
        else:
            messages.success(request, f"{person} has been removed from the team.")
        return self.after_change()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "refusal",
            services.last_admin_refusal(self.membership, actor=self.request.user, removing=True),
        )
        context["open_actions"] = selectors.open_actions_owned(self.council, self.membership.user)
        return context


class InviteAgainView(MembershipMixin, TemplateView):
    """Sends a new set-password link to a member who has not set one (POST only)."""

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return self.http_method_not_allowed(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        try:
            services.send_invitation_again(
                membership=self.membership, sent_by=request.user, site_url=self.site_url()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request, f"A new invitation has been sent to {self.membership.user.email}."
            )
        return redirect("team")
