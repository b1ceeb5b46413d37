from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView, PasswordResetConfirmView
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from .current import CouncilMixin, councils_for, current_council, set_current_council
from .forms import ChangeOwnPasswordForm, SetOwnPasswordForm, SwitchCouncilForm


class CouncilPageMixin(CouncilMixin):
    """CouncilMixin for the staff and manager pages, kind to people without a council.

    A signed-in user who belongs to no council is told to ask their admin (rather than
    shown a bare 404); a superuser who has not chosen a council is sent to choose one.
    Pages that rate actions add actions.rag.ClockMixin for a fixed 'now' (self.clock).
    """

    nav_section = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and current_council(request) is None:
            if request.user.is_superuser:
                return redirect("switch_council")
            return render(request, "councils/no_council.html", status=200)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav_section"] = self.nav_section
        context["council"] = self.council
        return context


@login_required
def switch_council(request):
    councils = councils_for(request.user)
    form = SwitchCouncilForm(
        request.POST or None,
        councils=councils,
        initial={"council": current_council(request)},
    )
    if request.method == "POST" and form.is_valid():
        set_current_council(request, form.cleaned_data["council"])
        messages.success(request, f"You are now working on {form.cleaned_data['council'].name}.")
        next_url = request.POST.get("next", "")
        if url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
            return redirect(next_url)
        return redirect("dashboard")
    return render(
        request,
        "councils/switch_council.html",
        {"form": form, "has_councils": councils.exists()},
    )


class SetPasswordView(PasswordResetConfirmView):
    """The invitation's one-time link: Django's password reset tokens, in the service's style.

    The link works once (setting the password changes what the token was made from)
    and only until settings.PASSWORD_RESET_TIMEOUT.
    """

    template_name = "registration/set_password.html"
    form_class = SetOwnPasswordForm
    success_url = reverse_lazy("set_password_done")


class ChangePasswordView(PasswordChangeView):
    """Everyone changes their own password here (Django keeps them signed in after)."""

    template_name = "registration/change_password.html"
    form_class = ChangeOwnPasswordForm
    success_url = reverse_lazy("dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, "Your password has been changed.")
        return response


class SetPasswordDoneView(TemplateView):
    template_name = "registration/set_password_done.html"
