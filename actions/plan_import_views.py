"""Bringing an action plan in from a spreadsheet: upload, choose the columns, check, import.

For managers and admins, on one of their council's inspections (another council's
is a 404, a staff member meets a 403). Between the steps the uploaded file waits
under MEDIA_ROOT/imports/ with a random name that only the user's session knows;
nothing is written to the database until the import is confirmed, and the file is
deleted once it is imported or cancelled (or, left behind, a day later).
"""

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from councils.models import Role
from councils.views import CouncilPageMixin
from inspections.models import Inspection

from . import import_services, plan_import
from .models import PlanImportMapping
from .plan_import_forms import ColumnMappingForm, PlanUploadForm, SheetChoiceForm

SESSION_KEY = "plan_import"
_TOKEN = re.compile(r"^[0-9a-f]{32}\Z")
KEEP_FILES_SECONDS = 24 * 60 * 60
PROBLEMS_SUMMARISED = 50
PROBLEMS_LISTED = 500
ACTIONS_LISTED = 50


def imports_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


class Upload:
    """The file waiting between the steps, as the session records it."""

    def __init__(self, data: dict):
        self.data = data

    @classmethod
    def load(cls, session, inspection) -> "Upload | None":
        data = session.get(SESSION_KEY)
        if not isinstance(data, dict) or data.get("inspection") != inspection.pk:
            return None
        if data.get("council") != inspection.council_id:
            return None
        if not _TOKEN.match(str(data.get("token", ""))) or data.get("kind") not in ("xlsx", "csv"):
            return None
        upload = cls(data)
        return upload if upload.path.is_file() else None

    @property
    def path(self) -> Path:
        # Built from our own random token and a fixed extension: never from the file's name.
        return imports_dir() / f"{self.data['token']}.{self.data['kind']}"

    @property
    def name(self) -> str:
        return self.data.get("name", "")

    @property
    def read_path(self) -> Path:
        """The sheet as read, kept beside the file so later steps need not read it again."""
        return imports_dir() / f"{self.data['token']}.json"

    def sheet(self) -> plan_import.PlanSheet:
        wanted = self.data.get("sheet")
        try:
            sheet = plan_import.sheet_from_json(self.read_path.read_text(encoding="utf-8"))
        except (OSError, ValueError, KeyError, TypeError):
            sheet = None
        if sheet is None or (wanted and sheet.name != wanted):
            sheet = plan_import.read_plan_file(
                self.path.read_bytes(), f"plan.{self.data['kind']}", sheet=wanted
            )
            self.keep(sheet)
        return sheet

    def keep(self, sheet: plan_import.PlanSheet) -> None:
        self.read_path.write_text(plan_import.sheet_to_json(sheet), encoding="utf-8")

    def save(self, session) -> None:
        session[SESSION_KEY] = self.data


def discard(session) -> None:
    """Forget the waiting file and delete it."""
    data = session.pop(SESSION_KEY, None)
    if (
        isinstance(data, dict)
        and _TOKEN.match(str(data.get("token", "")))
        and data.get("kind") in ("xlsx", "csv")
    ):
        (imports_dir() / f"{data['token']}.{data['kind']}").unlink(missing_ok=True)
        (imports_dir() / f"{data['token']}.json").unlink(missing_ok=True)


def _remove_stale_files() -> None:
    folder = imports_dir()
    if not folder.is_dir():
        return
    cutoff = time.time() - KEEP_FILES_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < cutoff:
                path.unlink(missing_ok=True)
        except OSError:
            continue


def _sentence(message: str) -> str:
    """An error message as the GOV.UK pattern writes them: no closing full stop."""
    return str(message).rstrip(".")


class PlanImportMixin(CouncilPageMixin):
    nav_section = "inspections"

    @cached_property
    def inspection(self) -> Inspection:
        return get_object_or_404(
            Inspection.objects.for_council(self.council).select_related("council"),
            pk=self.kwargs["pk"],
        )

    def check_allowed(self) -> None:
        # Another council's inspection is a 404 before anything is said about roles.
        if self.inspection and not self.is_manager:
            raise PermissionDenied("Only managers and admins can import action plans.")

    def get(self, request, *args, **kwargs):
        self.check_allowed()
        return self.handle_get()

    def post(self, request, *args, **kwargs):
        self.check_allowed()
        return self.handle_post()

    def handle_get(self):
        return self.render_to_response(self.get_context_data())

    def handle_post(self):  # pragma: no cover - each page says what a POST does
        raise NotImplementedError

    @cached_property
    def upload(self) -> Upload | None:
        return Upload.load(self.request.session, self.inspection)

    def start_again(self, message: str):
        discard(self.request.session)
        messages.error(self.request, message)
        return redirect("inspection_plan_import", pk=self.inspection.pk)

    def read_sheet(self):
        try:
            return self.upload.sheet(), None
        except plan_import.PlanFileError as error:
            return None, self.start_again(_sentence(error))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(inspection=self.inspection, upload=self.upload)
        return context


class PlanUploadView(PlanImportMixin, TemplateView):
    template_name = "actions/import/upload.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", kwargs.get("form") or PlanUploadForm())
        context["max_rows"] = plan_import.MAX_ROWS
        return context

    def handle_post(self):
        form = PlanUploadForm(self.request.POST, self.request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        upload = form.cleaned_data["plan_file"]
        content = upload.read()
        try:
            sheet = plan_import.read_plan_file(content, upload.name)
        except plan_import.PlanFileError as error:
            form.add_error("plan_file", _sentence(error))
            return self.render_to_response(self.get_context_data(form=form))
        discard(self.request.session)
        _remove_stale_files()
        kind = plan_import.file_kind(upload.name)
        waiting = Upload(
            {
                "inspection": self.inspection.pk,
                "council": self.inspection.council_id,
                "token": secrets.token_hex(16),
                "kind": kind,
                "name": Path(upload.name).name[:200],
                "sheet": None,
                "mapping": None,
                "placeholder": None,
            }
        )
        imports_dir().mkdir(parents=True, exist_ok=True)
        waiting.path.write_bytes(content)
        waiting.keep(sheet)
        waiting.save(self.request.session)
        return redirect("inspection_plan_import_columns", pk=self.inspection.pk)


class PlanColumnsView(PlanImportMixin, TemplateView):
    template_name = "actions/import/columns.html"

    def handle_get(self):
        if self.upload is None:
            return redirect("inspection_plan_import", pk=self.inspection.pk)
        sheet, refused = self.read_sheet()
        if refused:
            return refused
        return self.render_to_response(self.get_context_data(form=self.form(sheet), sheet=sheet))

    def handle_post(self):
        if self.upload is None:
            return self.start_again("Your file was not kept: upload it again")
        sheet, refused = self.read_sheet()
        if refused:
            return refused
        if "sheet-sheet" in self.request.POST:
            choice = SheetChoiceForm(self.request.POST, sheet=sheet)
            if choice.is_valid():
                self.upload.data.update(sheet=choice.cleaned_data["sheet"], mapping=None)
                self.upload.save(self.request.session)
                return redirect("inspection_plan_import_columns", pk=self.inspection.pk)
            return self.render_to_response(
                self.get_context_data(form=self.form(sheet), sheet=sheet, sheet_form=choice)
            )
        form = self.form(sheet, data=self.request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, sheet=sheet))
        mapping = form.mapping()
        placeholder = form.cleaned_data.get("placeholder_owner")
        self.upload.data.update(
            sheet=sheet.name, mapping=mapping, placeholder=placeholder.pk if placeholder else None
        )
        self.upload.save(self.request.session)
        import_services.remember_mapping(
            council=self.council,
            mapping=plan_import.mapping_to_save(mapping, sheet.headers),
            user=self.request.user,
        )
        return redirect("inspection_plan_import_check", pk=self.inspection.pk)

    def form(self, sheet, data=None) -> ColumnMappingForm:
        chosen = self.upload.data.get("mapping")
        if isinstance(chosen, dict) and self.upload.data.get("sheet") == sheet.name:
            mapping = {
                key: index
                for key, index in chosen.items()
                if isinstance(index, int) and 0 <= index < len(sheet.headers)
            }
        else:
            saved = PlanImportMapping.objects.filter(council=self.council).first()
            mapping = plan_import.mapping_from_saved(saved.mapping if saved else {}, sheet.headers)
        return ColumnMappingForm(
            data,
            sheet=sheet,
            people=plan_import.council_members(self.council),
            mapping=mapping,
            initial={"placeholder_owner": self.upload.data.get("placeholder")},
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sheet = kwargs.get("sheet")
        if sheet is not None and len(sheet.sheet_names) > 1:
            context.setdefault("sheet_form", SheetChoiceForm(sheet=sheet))
        if sheet is not None:
            context["rag_columns"] = [
                sheet.column_label(i) for i in plan_import.ignored_rag_columns(sheet.headers)
            ]
        return context


class PlanCheckView(PlanImportMixin, TemplateView):
    """The preview: what would be created, and every problem; the button that imports it."""

    template_name = "actions/import/check.html"

    def placeholder(self):
        pk = self.upload.data.get("placeholder")
        if not isinstance(pk, int):
            return None
        return plan_import.council_members(self.council).filter(pk=pk).first()

    def ready(self):
        """(sheet, mapping) or (None, a redirect back to the step that is missing)."""
        if self.upload is None:
            return None, redirect("inspection_plan_import", pk=self.inspection.pk)
        mapping = self.upload.data.get("mapping")
        if not isinstance(mapping, dict):
            return None, redirect("inspection_plan_import_columns", pk=self.inspection.pk)
        sheet, refused = self.read_sheet()
        if refused:
            return None, refused
        mapping = {
            key: index
            for key, index in mapping.items()
            if isinstance(index, int) and 0 <= index < len(sheet.headers)
        }
        return (sheet, mapping), None

    def handle_get(self):
        ready, elsewhere = self.ready()
        if elsewhere:
            return elsewhere
        sheet, mapping = ready
        preview = plan_import.preview_plan(
            sheet,
            mapping,
            inspection=self.inspection,
            importer=self.request.user,
            placeholder_owner=self.placeholder(),
        )
        return self.render_to_response(self.get_context_data(preview=preview))

    def handle_post(self):
        ready, elsewhere = self.ready()
        if elsewhere:
            return elsewhere
        sheet, mapping = ready
        try:
            result = import_services.import_plan(
                inspection=self.inspection,
                imported_by=self.request.user,
                sheet=sheet,
                mapping=mapping,
                placeholder_owner=self.placeholder(),
            )
        except import_services.PlanHasProblems as refused:
            return self.render_to_response(self.get_context_data(preview=refused.preview))
        except ValidationError as error:
            preview = plan_import.preview_plan(
                sheet,
                mapping,
                inspection=self.inspection,
                importer=self.request.user,
                placeholder_owner=self.placeholder(),
            )
            preview.problems.extend(
                plan_import.Problem(None, "", _sentence(message)) for message in error.messages
            )
            return self.render_to_response(self.get_context_data(preview=preview))
        discard(self.request.session)
        messages.success(
            self.request,
            f"{result.actions} action{'s' if result.actions != 1 else ''} imported under "
            f"{result.findings} finding{'s' if result.findings != 1 else ''} "
            f"({result.new_findings} new), with {result.entries} timeline "
            f"entr{'ies' if result.entries != 1 else 'y'}.",
        )
        return redirect("inspection_detail", pk=self.inspection.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        preview = kwargs.get("preview")
        if preview is None:
            return context
        problems = [
            (f"problem-{number}", problem)
            for number, problem in enumerate(preview.problems[:PROBLEMS_LISTED], start=1)
        ]
        context.update(
            preview=preview,
            problems=problems,
            summarised=problems[:PROBLEMS_SUMMARISED],
            more_problems=len(preview.problems) - PROBLEMS_SUMMARISED,
            unlisted_problems=len(preview.problems) - PROBLEMS_LISTED,
            actions_shown=preview.actions[:ACTIONS_LISTED],
            more_actions=len(preview.actions) - ACTIONS_LISTED,
            unknown_owners=sorted(preview.unknown_owners.items()),
            is_admin=self.role == Role.ADMIN,
            team_url=reverse("team_invite"),
        )
        return context


class PlanCancelView(PlanImportMixin, TemplateView):
    http_method_names = ["post"]

    def handle_post(self):
        discard(self.request.session)
        messages.success(self.request, "The import was cancelled: nothing was imported.")
        return redirect("inspection_detail", pk=self.inspection.pk)
