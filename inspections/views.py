"""The inspections list, an inspection's page and a finding's page.

Thin views: each object comes from the current council through a selector, so
another council's inspection or finding is a 404.
"""

import datetime
from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView

from actions.rag import ClockMixin
from config.pagination import ForgivingPaginationMixin
from councils.models import Role
from councils.views import CouncilPageMixin

from . import letter_intake, selectors, services
from .filters import InspectionFilter
from .forms import (
    FINDING_FIELDS,
    FindingFormSet,
    LetterDetailsForm,
    LetterSourceForm,
    kept_findings,
)
from .letter_reader import LetterFileError, extract_text
from .models import Finding, Inspection, Theme


def predecessor_context(inspection, council, context) -> dict:
    """For a predecessor's inspection, seen from its successor: history, read as such.

    Its findings take no new actions (the successor plans against its own findings,
    which may repeat these), so nothing offers to add, import or export actions.
    """
    if inspection.council_id == council.pk:
        return {"predecessor": None}
    return {"predecessor": inspection.council, "is_manager": False}


class InspectionListView(ClockMixin, CouncilPageMixin, ForgivingPaginationMixin, FilterView):
    template_name = "inspections/inspection_list.html"
    filterset_class = InspectionFilter
    paginate_by = 20
    nav_section = "inspections"

    def get_queryset(self):
        return selectors.inspections_for_list(self.council, self.clock)

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "council": self.council}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context["inspections"] = selectors.decorate_inspections(context["object_list"], self.clock)
        context["page_range"] = page.paginator.get_elided_page_range(
            page.number, on_each_side=1, on_ends=1
        )
        context["is_filtered"] = any(self.request.GET.get(name) for name in self.filterset.filters)
        context["can_add_letters"] = self.role == Role.ADMIN
        return context


class InspectionDetailView(ClockMixin, CouncilPageMixin, DetailView):
    template_name = "inspections/inspection_detail.html"
    context_object_name = "inspection"
    nav_section = "inspections"

    def get_queryset(self):
        return selectors.inspections_for_detail(self.council, self.clock)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        inspection = self.object
        context["summary"] = selectors.with_summary([inspection], self.clock)[0].summary
        context["judgements"] = selectors.judgements_in_order(inspection)
        context["findings"] = selectors.findings_of_inspection(inspection, self.clock)
        context["can_edit"] = self.role == Role.ADMIN
        context.update(predecessor_context(inspection, self.council, context))
        return context


class FindingDetailView(ClockMixin, CouncilPageMixin, TemplateView):
    template_name = "inspections/finding_detail.html"
    nav_section = "inspections"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = selectors.finding_page(self.council, self.kwargs["pk"], self.clock)
        context["page"] = page
        context["finding"] = page.finding
        context["inspection"] = page.finding.inspection
        context.update(predecessor_context(page.finding.inspection, self.council, context))
        return context


class LetterAdminMixin(CouncilPageMixin):
    """Pages for a council's admins: adding inspection letters."""

    nav_section = "inspections"

    def check_admin(self):
        if self.role != Role.ADMIN:
            raise PermissionDenied("Only your council's Improvement Tracker admins add letters.")


class LetterStartView(LetterAdminMixin, FormView):
    """Step 1: paste the letter, or upload it."""

    template_name = "inspections/letter_start.html"
    form_class = LetterSourceForm

    def get(self, request, *args, **kwargs):
        self.check_admin()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.check_admin()
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        upload = form.cleaned_data.get("letter_file")
        source_name = ""
        if upload:
            source_name = Path(upload.name).name[:200]
            try:
                text = extract_text(upload.read(), upload.name)
            except LetterFileError as error:
                form.add_error("letter_file", str(error))
                return self.form_invalid(form)
        else:
            text = form.cleaned_data["text"]
        draft, _ = letter_intake.draft_from_text(
            text, council=self.council, source_name=source_name
        )
        letter_intake.save_draft(self.request.session, draft)
        return redirect("letter_review")


class LetterReviewView(LetterAdminMixin, TemplateView):
    """Step 2: check what was read, correct it, and confirm; nothing is written before."""

    template_name = "inspections/letter_review.html"

    def get(self, request, *args, **kwargs):
        self.check_admin()
        self.draft = letter_intake.load_draft(request.session)
        if self.draft is None:
            return redirect("letter_start")
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.check_admin()
        self.draft = letter_intake.load_draft(request.session)
        if self.draft is None:
            messages.error(request, "Your letter was not kept: paste or upload it again.")
            return redirect("letter_start")
        details, findings = self.forms(data=request.POST)
        details_ok, findings_ok = details.is_valid(), findings.is_valid()
        self.keep(details, findings)
        if "add_finding" in request.POST:
            # Not a submission: no errors yet, just one more finding to fill in.
            return self.render_to_response(
                self.get_context_data(findings=self.with_blank(findings))
            )
        if not (details_ok and findings_ok):
            return self.render_to_response(
                self.get_context_data(details=details, findings=findings)
            )
        try:
            inspection = self.record(details, findings)
        except ValidationError as error:
            details.add_service_error(error)
            return self.render_to_response(
                self.get_context_data(details=details, findings=findings)
            )
        letter_intake.clear_draft(request.session)
        saved = f"{inspection.title} saved with {inspection.findings.count()} findings."
        if inspection.council_id == self.council.pk:
            saved += " Add actions to each finding from its page."
        else:
            saved += f" It is {inspection.council.name}'s, kept in {self.council.name}'s history."
        messages.success(request, saved)
        return redirect("inspection_detail", pk=inspection.pk)

    # --- the two forms ---------------------------------------------------------------------

    def forms(self, data=None):
        draft = self.draft
        grade_date = draft.date("start_date")
        if data is not None:
            # Grades follow the framework of the date the admin has in the form.
            grade_date = _posted_date(data, "start_date") or grade_date
        details = LetterDetailsForm(
            data,
            initial=self.details_initial(),
            grade_date=grade_date,
            councils=self.record_councils,
            prefix="letter",
        )
        findings = FindingFormSet(
            data,
            initial=[self.finding_initial(i, f) for i, f in enumerate(draft.findings, start=1)],
            prefix="finding",
            form_kwargs={"themes": list(self.themes), "earlier": list(self.earlier)},
        )
        return details, findings

    @cached_property
    def themes(self):
        return Theme.objects.filter(is_active=True).order_by("name")

    @cached_property
    def record_councils(self) -> list:
        """The council, then those it took over from: whose letters its admins may enter."""
        return [self.council, *self.council.predecessors.order_by("name")]

    @cached_property
    def earlier(self):
        return (
            Finding.objects.in_history_of(self.council)
            .select_related("inspection")
            .order_by("-inspection__start_date", "position")
        )

    def details_initial(self) -> dict:
        draft = self.draft
        initial = {
            "kind": draft.kind,
            "focus_theme": draft.focus_theme,
            "visit_number": draft.visit_number,
            "start_date": draft.date("start_date"),
            "end_date": draft.date("end_date"),
            "published_on": draft.date("published_on"),
            "lead_inspector": draft.lead_inspector,
            "ofsted_file_id": draft.ofsted_file_id,
        }
        initial.update({f"grade_{area}": grade for area, grade in draft.grades.items()})
        read = draft.council_read and draft.council_read["la_code"]
        initial["council"] = next(
            (c.pk for c in self.record_councils if c.dfe_la_code == read), self.council.pk
        )
        return initial

    @staticmethod
    def finding_initial(order: int, finding) -> dict:
        return {
            "order": order,
            "text": finding.text,
            "short_title": finding.short_title,
            "theme": finding.theme,
            "is_priority_action": finding.is_priority_action,
            "repeats": finding.repeats,
        }

    def with_blank(self, findings):
        """The findings as typed so far, and one more, empty, at the end."""
        rows = []
        for form in findings.forms:
            raw = {name: form.data.get(form.add_prefix(name), "") for name in form.fields}
            if raw.get("remove"):
                continue
            raw["is_priority_action"] = bool(raw.get("is_priority_action"))
            rows.append(raw)
        rows.append({"order": len(rows) + 1})
        return FindingFormSet(
            initial=rows,
            prefix="finding",
            form_kwargs={"themes": list(self.themes), "earlier": list(self.earlier)},
        )

    def keep(self, details, findings) -> None:
        """Save what the admin typed into the draft, so a refused form loses nothing."""
        draft = self.draft
        for name in ("kind", "focus_theme", "lead_inspector", "ofsted_file_id"):
            if name in details.cleaned_data:
                setattr(draft, name, details.cleaned_data[name] or "")
        for name in ("start_date", "end_date", "published_on"):
            value = details.cleaned_data.get(name)
            if value:
                setattr(draft, name, value.isoformat())
        if "visit_number" in details.cleaned_data:
            draft.visit_number = details.cleaned_data["visit_number"]
        draft.grades = {
            name.removeprefix("grade_"): details.cleaned_data[name]
            for name in details.grade_names
            if details.cleaned_data.get(name)
        }
        kept = []
        for form in findings.forms:
            if form.removed or not form.is_valid():
                continue
            data = form.cleaned_data
            kept.append(
                (
                    data["order"],
                    letter_intake.FindingDraft(
                        text=data["text"],
                        short_title=data["short_title"],
                        theme=data["theme"].pk if data["theme"] else None,
                        is_priority_action=data["is_priority_action"],
                        repeats=data["repeats"].pk if data["repeats"] else None,
                    ),
                )
            )
        if findings.is_valid():
            draft.findings = [finding for _, finding in sorted(kept, key=lambda pair: pair[0])]
        letter_intake.save_draft(self.request.session, draft)

    def record(self, details, findings):
        return services.record_letter(
            council=details.cleaned_data.get("council") or self.council,
            entered_by=self.request.user,
            letter_text=self.draft.letter_text,
            **details.inspection_fields(),
            findings=[
                services.NewFinding(**{name: finding[name] for name in FINDING_FIELDS})
                for finding in kept_findings(findings)
            ],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        details, findings = kwargs.get("details"), kwargs.get("findings")
        if details is None or findings is None:
            fresh_details, fresh_findings = self.forms()
            details, findings = details or fresh_details, findings or fresh_findings
        draft = self.draft
        council_read = draft.council_read
        context.update(
            draft=draft,
            details=details,
            findings=findings,
            error_links=_error_links(details, findings),
            not_found=letter_intake.not_found_messages(draft),
            other_council=(
                council_read
                if council_read
                and council_read["la_code"] not in {c.dfe_la_code for c in self.record_councils}
                else None
            ),
        )
        return context


def _posted_date(data, name: str):
    try:
        return datetime.date(
            int(data.get(f"letter-{name}_2", "")),
            int(data.get(f"letter-{name}_1", "")),
            int(data.get(f"letter-{name}_0", "")),
        )
    except (TypeError, ValueError, OverflowError):
        return None


def _error_links(details, findings) -> list[tuple[str, str]]:
    """Every error on the page, each linked to the input to fix, for the error summary."""
    links = list(details.error_links()) if details.is_bound else []
    if findings.is_bound:
        for message in findings.non_form_errors():
            links.append(("findings", message))
        for number, form in enumerate(findings.forms, start=1):
            if form.removed:
                continue
            links += [
                (anchor, f"Finding {number}: {message}") for anchor, message in form.error_links()
            ]
    return links


class InspectionEditView(LetterReviewView):
    """An admin corrects a saved inspection: the letter review's form and rules, prefilled."""

    template_name = "inspections/inspection_edit.html"

    @cached_property
    def inspection(self):
        return get_object_or_404(
            Inspection.objects.in_history_of(self.council).prefetch_related("judgements"),
            pk=self.kwargs["pk"],
        )

    @cached_property
    def saved_findings(self):
        return list(
            self.inspection.findings.select_related("theme", "repeats").order_by("position")
        )

    def check_admin(self):
        # Another council's inspection is a 404 before anything is said about roles.
        if self.inspection is not None:
            super().check_admin()

    def get(self, request, *args, **kwargs):
        self.check_admin()
        return self.render_to_response(self.get_context_data())

    def post(self, request, *args, **kwargs):
        self.check_admin()
        details, findings = self.forms(data=request.POST)
        details_ok, findings_ok = details.is_valid(), findings.is_valid()
        if "add_finding" in request.POST:
            return self.render_to_response(
                self.get_context_data(details=details, findings=self.with_blank(findings))
            )
        if not (details_ok and findings_ok):
            return self.render_to_response(
                self.get_context_data(details=details, findings=findings)
            )
        try:
            services.update_inspection(
                inspection=self.inspection,
                edited_by=request.user,
                **details.inspection_fields(),
                findings=[
                    services.EditedFinding(
                        finding_id=finding["finding_id"],
                        **{name: finding[name] for name in FINDING_FIELDS},
                    )
                    for finding in kept_findings(findings)
                ],
            )
        except ValidationError as error:
            details.add_service_error(error)
            return self.render_to_response(
                self.get_context_data(details=details, findings=findings)
            )
        messages.success(request, "The inspection has been updated.")
        return redirect("inspection_detail", pk=self.inspection.pk)

    def forms(self, data=None):
        inspection = self.inspection
        grade_date = inspection.start_date
        if data is not None:
            grade_date = _posted_date(data, "start_date") or grade_date
        initial = {
            "kind": inspection.kind,
            "focus_theme": inspection.focus_theme,
            "visit_number": inspection.visit_number,
            "start_date": inspection.start_date,
            "end_date": inspection.end_date,
            "published_on": inspection.published_on,
            "lead_inspector": inspection.lead_inspector,
            "ofsted_file_id": inspection.ofsted_file_id,
        }
        initial.update(
            {
                f"grade_{judgement.area}": judgement.grade
                for judgement in inspection.judgements.all()
            }
        )
        details = LetterDetailsForm(data, initial=initial, grade_date=grade_date, prefix="letter")
        findings = FindingFormSet(
            data,
            initial=[
                {
                    "order": finding.position,
                    "text": finding.text,
                    "short_title": finding.short_title,
                    "theme": finding.theme_id,
                    "is_priority_action": finding.is_priority_action,
                    "repeats": finding.repeats_id,
                    "finding_id": finding.pk,
                }
                for finding in self.saved_findings
            ],
            prefix="finding",
            form_kwargs={"themes": list(self.themes), "earlier": list(self.earlier)},
        )
        return details, findings

    @cached_property
    def earlier(self):
        # Only findings from before this inspection can be repeated by its findings.
        return (
            super()
            .earlier.filter(inspection__start_date__lt=self.inspection.start_date)
            .exclude(inspection=self.inspection)
        )

    def get_context_data(self, **kwargs):
        details, findings = kwargs.get("details"), kwargs.get("findings")
        if details is None or findings is None:
            fresh_details, fresh_findings = self.forms()
            details, findings = details or fresh_details, findings or fresh_findings
        context = TemplateView.get_context_data(self, **kwargs)
        context.update(
            inspection=self.inspection,
            details=details,
            findings=findings,
            error_links=_error_links(details, findings),
        )
        return context
