from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import TemplateView

from actions.rag import Clock

from .current import CouncilMixin, councils_for, current_council, set_current_council
from .forms import SwitchCouncilForm
from .selectors import dashboard


class CouncilPageMixin(CouncilMixin):
    """CouncilMixin for the staff and manager pages, kind to people without a council.

    A signed-in user who belongs to no council is told to ask their admin (rather than
    shown a bare 404); a superuser who has not chosen a council is sent to choose one.
    Every page also gets a fixed 'now' (self.clock) so its RAG ratings agree.
    """

    nav_section = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and current_council(request) is None:
            if request.user.is_superuser:
                return redirect("switch_council")
            return render(request, "councils/no_council.html", status=200)
        self.clock = Clock.current()
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nav_section"] = self.nav_section
        context["council"] = self.council
        return context


class DashboardView(CouncilPageMixin, TemplateView):
    """The council at a glance: grades, open findings, what is late and due, recent news."""

    template_name = "councils/dashboard.html"
    nav_section = "dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dashboard"] = dashboard(self.council, self.clock)
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
