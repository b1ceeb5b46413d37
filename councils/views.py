from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .current import councils_for, current_council, set_current_council
from .forms import SwitchCouncilForm


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
