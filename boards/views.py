"""The reports: the council's dashboard, and the pages for improvement board meetings
(the list, a meeting, what changed, the board pack, trends).

Every page reaches meetings through the current council (another council's is a
404) and is for managers (a member with a lesser role gets a 403, after the 404);
the dashboard is for every member.
"""

import datetime
import time

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, TemplateView

from actions.rag import ClockMixin
from councils.views import CouncilPageMixin
from inspections.models import Finding

from . import pdf, selectors, services, trends
from .dashboard import dashboard
from .forms import MeetingForm, SinceForm

MEETINGS_SHOWN = 50


class DashboardView(ClockMixin, CouncilPageMixin, TemplateView):
    """The council at a glance: grades, open findings, what is late and due, recent news."""

    template_name = "boards/dashboard.html"
    nav_section = "dashboard"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dashboard"] = dashboard(self.council, self.clock)
        return context


class ManagerMixin(ClockMixin, CouncilPageMixin):
    nav_section = "boards"

    def require_manager(self):
        if not self.is_manager:
            raise PermissionDenied("Only a manager at this council can see board meetings.")


class MeetingMixin(ManagerMixin):
    """Views about one of the current council's meetings."""

    @cached_property
    def meeting(self):
        return selectors.meeting_for_council(self.council, self.kwargs["pk"])

    def check(self):
        self.meeting  # noqa: B018 - another council's meeting is a 404 before any refusal
        self.require_manager()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "meeting": self.meeting}


class MeetingListView(ManagerMixin, FormView):
    """The council's board meetings, newest first, and a form to add one."""

    template_name = "boards/meeting_list.html"
    form_class = MeetingForm

    def get(self, request, *args, **kwargs):
        self.require_manager()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.require_manager()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                council=self.council,
                held_on=data["held_on"],
                board=data["board"],
                chair=data["chair"],
                notes=data["notes"],
                created_by=self.request.user,
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Meeting added: {meeting}.")
        return redirect("board_detail", pk=meeting.pk)

    def get_context_data(self, **kwargs):
        meetings = list(selectors.meetings_for(self.council)[: MEETINGS_SHOWN + 1])
        return {
            **super().get_context_data(**kwargs),
            "meetings": meetings[:MEETINGS_SHOWN],
            "more_meetings": len(meetings) > MEETINGS_SHOWN,
        }


class MeetingDetailView(MeetingMixin, TemplateView):
    template_name = "boards/meeting_detail.html"

    def get(self, request, *args, **kwargs):
        self.check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        figures = selectors.meeting_figures(self.meeting, now=self.clock.now)
        context.update(
            figures=figures,
            plan=figures.plan,
            changes=figures.changes,
            freeze_refusal=services.freeze_refusal(self.meeting, self.clock.today),
        )
        return context


class MeetingFreezeView(MeetingMixin, View):
    """POST only: store the meeting's figures for the record."""

    def post(self, request, *args, **kwargs):
        self.check()
        try:
            services.meeting_freeze(meeting=self.meeting, frozen_by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "The figures are frozen: the pack will show them as they are now, "
                "whatever is corrected later.",
            )
        return redirect("board_detail", pk=self.meeting.pk)


class MeetingChangesView(MeetingMixin, TemplateView):
    """What changed since the meeting before, or since ?since=YYYY-MM-DD."""

    template_name = "boards/changes.html"

    def get(self, request, *args, **kwargs):
        self.check()
        return super().get(request, *args, **kwargs)

    def _form_data(self):
        """The query string as the date input's data: ?since=2026-03-05 or since_0..2."""
        query = self.request.GET
        since = query.get("since", "")
        if since:
            try:
                day = datetime.date.fromisoformat(since.strip())
            except ValueError:
                return {"since_0": since, "since_1": "", "since_2": ""}
            return {"since_0": str(day.day), "since_1": str(day.month), "since_2": str(day.year)}
        if any(f"since_{n}" in query for n in range(3)):
            return {f"since_{n}": query.get(f"since_{n}", "") for n in range(3)}
        return None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = SinceForm(self._form_data(), before=self.meeting.held_on)
        since = form.cleaned_data["since"] if form.is_bound and form.is_valid() else None
        figures = selectors.meeting_figures(self.meeting, since=since, now=self.clock.now)
        earlier = selectors.earlier_meetings(self.meeting)
        context.update(
            form=form, figures=figures, changes=figures.changes, since=since, earlier=earlier
        )
        return context


class BoardPackView(MeetingMixin, TemplateView):
    """The board pack as a page, laid out for printing."""

    template_name = "boards/pack.html"

    def get(self, request, *args, **kwargs):
        self.check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["pack"] = selectors.board_pack(self.meeting, now=self.clock.now)
        return context


class BoardPackPdfView(MeetingMixin, View):
    """The board pack as an accessible (tagged, PDF/UA) PDF, made on the server."""

    def get(self, request, *args, **kwargs):
        self.check()
        started = time.perf_counter()
        pack = selectors.board_pack(self.meeting, now=self.clock.now)
        content = pdf.render_pack(pack, request=request)
        response = HttpResponse(content, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf.file_name(pack)}"'
        response["Server-Timing"] = f"pack;dur={(time.perf_counter() - started) * 1000:.0f}"
        return response


class TrendsView(ManagerMixin, TemplateView):
    """The council's plan over the last twelve months, and each theme's, as charts and tables."""

    template_name = "boards/trends.html"

    def get(self, request, *args, **kwargs):
        self.require_manager()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        plan_trends = selectors.council_trends(self.council, self.clock.now)
        return {
            **super().get_context_data(**kwargs),
            "trend": plan_trends.council,
            "theme_trends": plan_trends.themes,
            "findings": selectors.findings_for_trends(self.council),
        }


class FindingTrendsView(ManagerMixin, TemplateView):
    """One finding's actions over the last twelve months."""

    template_name = "boards/trends.html"

    @cached_property
    def finding(self):
        return get_object_or_404(
            Finding.objects.for_council(self.council).select_related("inspection__council"),
            pk=self.kwargs["pk"],
        )

    def get(self, request, *args, **kwargs):
        self.finding  # noqa: B018 - another council's finding is a 404 before any refusal
        self.require_manager()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "trend": trends.finding_trend(self.finding, self.clock.now),
            "finding": self.finding,
        }
