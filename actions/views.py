"""Pages for actions: the list, one action, the forms that change it, and exports.

Every view reaches actions through the current council (CouncilMixin and the
selectors), so another council's action is a 404. Writes go through
actions.services; a member without the role for one gets a 403.
"""

from pathlib import Path

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from config.pagination import ForgivingPaginationMixin
from councils.current import CouncilMixin
from inspections.models import Finding

from . import exports, selectors, services
from .audit import action_history, history_records
from .filters import ActionFilter
from .forms import (
    ActionCreateForm,
    ActionEditForm,
    LogProgressForm,
    ReasonForm,
    ReviseDueDateForm,
    SendBackForm,
    SignOffForm,
)
from .rag import Clock, ClockMixin, Status

PAGE_SIZE = 50
# The action page shows the latest entries of its timeline and audit trail; the rest
# are a link away, so the page stays small however long the action's history.
TIMELINE_SHOWN = 20
CHANGES_SHOWN = 20
HISTORY_PAGE_SIZE = 20

# The list's sortable columns: (sort key, heading). The other columns are not sortable.
SORTABLE_COLUMNS = (
    ("title", "Action"),
    ("owner", "Owner"),
    ("due", "Due"),
    ("status", "Status"),
    ("rag", "RAG"),
    ("priority", "Priority"),
)

SORT_LABELS = {
    "rag": "most urgent first",
    "-rag": "least urgent first",
    "due": "soonest due first",
    "-due": "latest due first",
    "status": "by status, not started first",
    "-status": "by status, cancelled first",
    "owner": "by owner, A to Z",
    "-owner": "by owner, Z to A",
    "title": "by title, A to Z",
    "-title": "by title, Z to A",
    "priority": "highest priority first",
    "-priority": "lowest priority first",
}


def _page_range(page):
    return page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1)


def _querystring(params, **changes) -> str:
    """The query string with some parameters changed (None removes one); '' if empty."""
    query = params.copy()
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else ""


class GovukPaginationMixin(ForgivingPaginationMixin):
    paginate_by = PAGE_SIZE


class ActionPagesMixin(ClockMixin, GovukPaginationMixin):
    """A list of actions, 50 at a time, each page's ids chosen before its rows are loaded."""

    def paginate_queryset(self, queryset, page_size):
        return super().paginate_queryset(selectors.IdsFirst(queryset, self.clock), page_size)


def _with_assessments(actions, clock: Clock):
    """Attach each action's RAG and reason (worked out in Python, no query)."""
    actions = list(actions)
    for action in actions:
        action.assessment = action.assess(clock)
    return actions


class FilteredActionsMixin(ClockMixin):
    """The council's actions, filtered and sorted by the query string."""

    def build_filterset(self) -> ActionFilter:
        return ActionFilter(
            self.request.GET or None,
            selectors.council_actions(self.council, self.clock),
            council=self.council,
            clock=self.clock,
            request=self.request,
        )


class ActionListView(CouncilMixin, FilteredActionsMixin, ActionPagesMixin, ListView):
    template_name = "actions/action_list.html"

    def get_queryset(self):
        # A filter with a bad value is shown as an error and ignored; the others apply.
        self.filterset = self.build_filterset()
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        params = self.request.GET.copy()
        sort = filterset.current_sort
        columns = []
        for key, heading in SORTABLE_COLUMNS:
            if sort == key:
                aria_sort, next_sort = "ascending", f"-{key}"
            elif sort == f"-{key}":
                aria_sort, next_sort = "descending", key
            else:
                aria_sort, next_sort = "none", key
            columns.append(
                {
                    "key": key,
                    "heading": heading,
                    "aria_sort": aria_sort,
                    "href": _querystring(params, sort=next_sort, page=None),
                }
            )
        export_query = _querystring(params, page=None)
        page = context["page_obj"]
        context.update(
            nav_section="actions",
            actions=_with_assessments(context["object_list"], self.clock),
            count=context["paginator"].count,
            columns={column["key"]: column for column in columns},
            sort=sort,
            sort_label=SORT_LABELS[sort],
            page_range=_page_range(page),
            filters_active=filterset.active,
            filter_form=filterset.form,
            unapplied=filterset.form.unapplied(),
            clear_url=reverse("action_list")
            + (f"?sort={sort}" if sort != selectors.DEFAULT_SORT else ""),
            csv_url=reverse("action_export_csv") + export_query,
            xlsx_url=reverse("action_export_xlsx") + export_query,
            first_row=page.start_index(),
            last_row=page.end_index(),
        )
        return context


class ActionExportCsvView(CouncilMixin, FilteredActionsMixin, View):
    def get(self, request):
        actions = self.build_filterset().qs
        response = StreamingHttpResponse(
            exports.csv_lines(actions, self.clock), content_type="text/csv; charset=utf-8"
        )
        filename = exports.export_filename(self.council, "csv", self.clock)
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["Cache-Control"] = "private, no-store"
        return response


class ActionExportXlsxView(CouncilMixin, FilteredActionsMixin, View):
    def get(self, request):
        output = exports.xlsx_file(self.build_filterset().qs, self.clock)
        response = FileResponse(
            output,
            as_attachment=True,
            filename=exports.export_filename(self.council, "xlsx", self.clock),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Cache-Control"] = "private, no-store"
        return response


class MyActionsView(CouncilMixin, ActionPagesMixin, ListView):
    template_name = "actions/my_actions.html"

    @property
    def show_all(self) -> bool:
        return self.request.GET.get("show") == "all"

    def get_queryset(self):
        return selectors.my_actions(
            self.council, self.request.user, self.clock, include_closed=self.show_all
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            nav_section="my_actions",
            actions=_with_assessments(context["object_list"], self.clock),
            count=context["paginator"].count,
            show_all=self.show_all,
            page_range=_page_range(page),
            first_row=page.start_index(),
            last_row=page.end_index(),
        )
        return context


class ActionMixin(CouncilMixin, ClockMixin):
    """Views about one action of the current council (404 for any other)."""

    @cached_property
    def action(self):
        return selectors.action_for_council(self.council, self.kwargs["pk"])

    @cached_property
    def can_log_progress(self) -> bool:
        # The role the page read at the current council, whose action this is (or 404).
        return services.can_log_progress(
            self.request.user, self.action, known_role=(self.council, self.role)
        )

    @cached_property
    def can_manage(self) -> bool:
        return services.can_manage(
            self.request.user, self.action, known_role=(self.council, self.role)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            nav_section="actions",
            action=self.action,
            assessment=self.action.assess(self.clock),
            can_manage=self.can_manage,
        )
        return context


class ActionDetailView(ActionMixin, TemplateView):
    template_name = "actions/action_detail.html"

    @cached_property
    def action(self):
        return selectors.action_for_page(self.council, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        action = self.action
        is_open = action.status not in services.CLOSED_STATUSES
        form = kwargs.get("form")
        if form is None and self.can_log_progress and is_open:
            form = LogProgressForm(action=action)
        is_delivered = action.status == Status.DELIVERED
        context.update(
            updates=list(selectors.timeline(action)[:TIMELINE_SHOWN]),
            update_count=action.update_count,
            form=form,
            can_log_progress=self.can_log_progress,
            is_open=is_open,
            is_delivered=is_delivered,
            sign_off_refusal=(
                services.sign_off_refusal(self.request.user, action)
                if is_delivered and self.can_manage
                else ""
            ),
            contributors=list(action.contributors.all()),
            changes=action_history(action, limit=CHANGES_SHOWN),
            saves_shown=CHANGES_SHOWN,
            saves_count=action.save_count,
        )
        return context


class ActionUpdatesView(ActionMixin, ForgivingPaginationMixin, ListView):
    """Every entry in an action's timeline, newest first, a page at a time."""

    template_name = "actions/action_updates.html"
    paginate_by = HISTORY_PAGE_SIZE

    def get_queryset(self):
        return selectors.timeline(self.action)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["page_obj"]
        context.update(
            updates=context["object_list"],
            count=context["paginator"].count,
            page_range=_page_range(page),
            first_row=page.start_index(),
            last_row=page.end_index(),
        )
        return context


class ActionChangesView(ActionMixin, TemplateView):
    """An action's whole audit trail, a page of saves at a time."""

    template_name = "actions/action_changes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(history_records(self.action).values("pk"), HISTORY_PAGE_SIZE)
        page = paginator.get_page(self.request.GET.get("page"))
        offset = (page.number - 1) * HISTORY_PAGE_SIZE
        context.update(
            changes=action_history(self.action, offset=offset, limit=HISTORY_PAGE_SIZE),
            page_obj=page,
            paginator=paginator,
            page_range=_page_range(page),
        )
        return context


class ActionUpdateView(ActionMixin, TemplateView):
    """One timeline entry in full: where a long note shortened on the action page is read."""

    template_name = "actions/action_update.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        update = get_object_or_404(selectors.timeline(self.action), pk=self.kwargs["update_pk"])
        context.update(update=update, single_update=[update])
        return context


class LogProgressView(ActionDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        if not self.can_log_progress:
            raise PermissionDenied("Only the owner, a contributor or a manager can log progress.")
        form = LogProgressForm(request.POST, request.FILES, action=self.action)
        if form.is_valid():
            try:
                services.log_progress(
                    action=self.action,
                    author=request.user,
                    note=form.cleaned_data["note"],
                    status=form.cleaned_data["status"],
                    percent_complete=form.cleaned_data["percent_complete"],
                    evidence_url=form.cleaned_data["evidence_url"],
                    evidence_file=form.cleaned_data["evidence_file"],
                )
            except ValidationError as error:
                form.add_service_error(error)
            else:
                messages.success(request, "Your progress update has been saved.")
                return redirect("action_detail", pk=self.action.pk)
        return self.render_to_response(self.get_context_data(form=form))


class ManageActionView(ActionMixin, FormView):
    """A manager's form about one action: shown on GET, carried out on POST by a service."""

    template_name = "actions/action_manage_form.html"
    page_title = ""
    intro = ""
    success_message = ""
    form_class = ReasonForm
    field_map: dict = {}

    def get(self, request, *args, **kwargs):
        self._check_manager()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_manager()
        return super().post(request, *args, **kwargs)

    def _check_manager(self):
        if not self.can_manage:
            raise PermissionDenied("Only a manager at this council can do that.")

    def unavailable(self) -> str:
        """Why this cannot be done to the action now ('' when it can)."""
        return ""

    def perform(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.perform(form)
        except ValidationError as error:
            form.add_service_error(error, self.field_map)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("action_detail", pk=self.action.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(page_title=self.page_title, intro=self.intro, unavailable=self.unavailable())
        return context


class ReasonView(ManageActionView):
    label = ""
    required_message = ""
    button = ""
    warning = False

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(
            label=self.label,
            required_message=self.required_message,
            button=self.button,
            warning=self.warning,
        )
        return kwargs


class ActionCreateView(CouncilMixin, FormView):
    """A manager adds an action to one of the council's findings."""

    template_name = "actions/action_create.html"
    form_class = ActionCreateForm

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.finding_pk = kwargs["finding_pk"]

    @cached_property
    def finding(self):
        return get_object_or_404(
            Finding.objects.for_council(self.council).select_related("inspection"),
            pk=self.finding_pk,
        )

    def get(self, request, *args, **kwargs):
        self._check_allowed()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check_allowed()
        return super().post(request, *args, **kwargs)

    def _check_allowed(self):
        # Another council's finding is a 404 before anything is said about roles.
        if self.finding and not self.is_manager:
            raise PermissionDenied("Only a manager at this council can add actions.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "people": selectors.council_people(self.council)}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            action = services.action_create(
                finding=self.finding,
                created_by=self.request.user,
                due_date=data["due_date"],
                contributors=data["contributors"],
                **{name: data[name] for name in form.detail_fields()},
            )
        except ValidationError as error:
            form.add_service_error(error)
            return self.form_invalid(form)
        messages.success(self.request, f"Action added to “{self.finding.short_title}”.")
        return redirect("action_detail", pk=action.pk)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "finding": self.finding}


class ActionEditView(ManageActionView):
    template_name = "actions/action_edit.html"
    form_class = ActionEditForm
    page_title = "Edit action"
    success_message = "The action has been updated."
    field_map = {"due_date": "start_date", "revised_due_date": "start_date"}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        people = selectors.council_people(self.council, also=[self.action.owner_id])
        kwargs.update(action=self.action, people=people)
        return kwargs

    def form_valid(self, form):
        try:
            services.action_edit(
                action=self.action,
                editor=self.request.user,
                expected_version=form.cleaned_data["version"],
                contributors=form.cleaned_data["contributors"],
                **form.edited_fields(),
            )
        except services.StaleVersion as error:
            return self.stale(form, error)
        except ValidationError as error:
            form.add_service_error(error, self.field_map)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return redirect("action_detail", pk=self.action.pk)

    def stale(self, form, error):
        """Keep what they typed, say what the action is now, and let them save again."""
        current = selectors.action_for_council(self.council, self.action.pk)
        data = form.data.copy()
        data["version"] = str(current.version)
        fresh = ActionEditForm(data, action=current, people=form.fields["owner"].queryset)
        fresh.is_valid()
        fresh.add_service_error(error)
        changes = form.differences_from(current)
        return self.render_to_response(self.get_context_data(form=fresh, changes=changes))


class ReviseDueDateView(ManageActionView):
    form_class = ReviseDueDateForm
    page_title = "Change the due date"
    intro = (
        "The original due date is kept in the action's record. The new one is used for its "
        "RAG rating from now on."
    )
    success_message = "The due date has been changed."

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "action": self.action}

    def unavailable(self) -> str:
        if self.action.status in services.CLOSED_STATUSES:
            return "A complete or cancelled action has no due date to change."
        return ""

    def perform(self, form):
        services.revise_due_date(
            action=self.action,
            manager=self.request.user,
            revised_due_date=form.cleaned_data["revised_due_date"],
            reason=form.cleaned_data["reason"],
        )


class SignOffView(ManageActionView):
    form_class = SignOffForm
    page_title = "Sign off this action"
    intro = "Signing off makes the action complete (blue). Its owner said it was delivered."
    success_message = "The action has been signed off."

    def unavailable(self) -> str:
        return services.sign_off_refusal(self.request.user, self.action)

    def perform(self, form):
        try:
            services.sign_off(
                action=self.action, manager=self.request.user, note=form.cleaned_data["note"]
            )
        except PermissionDenied as refusal:
            # A manager who owns the action: a rule to explain, not a page to refuse.
            raise ValidationError(str(refusal)) from None


class SendBackView(ReasonView):
    form_class = SendBackForm
    page_title = "Send this action back"
    intro = (
        "Sending it back makes the action in progress again, so its owner can finish it. "
        "Say how complete it really is: its RAG rating follows."
    )
    label = "Why is it being sent back?"
    required_message = "Enter why the action is being sent back"
    button = "Send back"
    success_message = "The action has been sent back to its owner."

    def get_initial(self):
        # Where it stood before its owner called it delivered.
        return {"percent_complete": selectors.percent_before_delivery(self.action)}

    def unavailable(self) -> str:
        if self.action.status != Status.DELIVERED:
            return "Only a delivered action can be sent back."
        return ""

    def perform(self, form):
        services.send_back(
            action=self.action,
            manager=self.request.user,
            reason=form.cleaned_data["reason"],
            percent_complete=form.cleaned_data["percent_complete"],
        )


class CancelView(ReasonView):
    page_title = "Cancel this action"
    intro = (
        "A cancelled action is no longer rated and does not count towards progress. "
        "It stays in the plan's history, and a manager can reopen it."
    )
    label = "Why is it being cancelled?"
    required_message = "Enter why the action is being cancelled"
    button = "Cancel action"
    warning = True
    success_message = "The action has been cancelled."

    def unavailable(self) -> str:
        if self.action.status in services.CLOSED_STATUSES:
            return f"This action is already {self.action.get_status_display().lower()}."
        return ""

    def perform(self, form):
        services.cancel(
            action=self.action, manager=self.request.user, reason=form.cleaned_data["reason"]
        )


class ReopenView(ReasonView):
    page_title = "Reopen this action"
    intro = "Reopening puts the action back in the plan, in progress, so progress can be logged."
    label = "Why is it being reopened?"
    required_message = "Enter why the action is being reopened"
    button = "Reopen action"
    success_message = "The action has been reopened."

    def unavailable(self) -> str:
        if self.action.status not in services.CLOSED_STATUSES:
            return "Only a complete or cancelled action can be reopened."
        return ""

    def perform(self, form):
        services.reopen(
            action=self.action, manager=self.request.user, reason=form.cleaned_data["reason"]
        )


class EvidenceDownloadView(CouncilMixin, View):
    """An evidence file, to members of its council only, under its original name."""

    def get(self, request, update_pk):
        update = selectors.evidence_for_council(self.council, update_pk)
        try:
            handle = update.evidence_file.open("rb")
        except FileNotFoundError:
            raise Http404("The file is missing from storage.") from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=update.evidence_file_name or Path(update.evidence_file.name).name,
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "default-src 'none'; sandbox"
        response["Cache-Control"] = "private, no-store"
        return response
