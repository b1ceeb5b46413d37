from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View
from django.views.generic import FormView

from actions.models import Action
from councils.current import councils_for, current_council, set_current_council

from . import services
from .emails import PAGES
from .forms import ReminderPreferenceForm
from .models import Frequency
from .rules import ESCALATE_AFTER_DAYS_OVERDUE
from .selectors import frequency_of

SAVED = {
    Frequency.DAILY: "You will get reminder emails on any day when your actions need an update.",
    Frequency.WEEKLY: "You will get reminder emails once a week.",
    Frequency.NONE: "You will not get reminder emails about your actions.",
}


class ReminderPreferenceView(LoginRequiredMixin, FormView):
    """/reminders/: the signed-in person chooses how often they get digests (their own only)."""

    template_name = "reminders/preference.html"
    form_class = ReminderPreferenceForm

    def get_initial(self):
        return {"frequency": frequency_of(self.request.user)}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            weekly_day=settings.REMINDERS_WEEKLY_DAY.capitalize(),
            escalate_days=ESCALATE_AFTER_DAYS_OVERDUE,
            **kwargs,
        )

    def form_valid(self, form):
        try:
            preference = services.set_frequency(
                user=self.request.user, frequency=form.cleaned_data["frequency"]
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, SAVED[preference.frequency])
        return redirect("reminder_preference")


class ActionFromReminderView(LoginRequiredMixin, View):
    """The link in a reminder email: opens the action at its own council, then the page asked.

    Someone who belongs to several councils may be working on another one: the
    action's council becomes their current one. An action at a council they do not
    belong to is a 404, like one that does not exist.
    """

    def get(self, request, pk):
        action = get_object_or_404(
            Action.objects.filter(
                finding__inspection__council__in=councils_for(request.user)
            ).select_related("finding__inspection__council"),
            pk=pk,
        )
        council = action.finding.inspection.council
        if current_council(request) != council:
            set_current_council(request, council)
            messages.info(request, f"You are now working on {council.name}.")
        name, fragment = PAGES.get(request.GET.get("to", ""), PAGES[""])
        return redirect(reverse(name, args=[action.pk]) + fragment)
