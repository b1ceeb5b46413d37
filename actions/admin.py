from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from councils.admin_audit import AuditedAdmin

from . import services
from .display import progress_bar, rag_tag
from .models import Action, ProgressUpdate
from .rag import Clock, Rag


class RagFilter(admin.SimpleListFilter):
    title = "RAG"
    parameter_name = "rag"

    def lookups(self, request, model_admin):
        return Rag.choices

    def queryset(self, request, queryset):
        if self.value() in Rag.values:
            return queryset.with_rag_colour(Rag(self.value()))
        return queryset


class OverdueFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue only")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        return queryset


class ProgressHistoryInline(admin.TabularInline):
    """The timeline as written: never edited or deleted here."""

    model = ProgressUpdate
    verbose_name = "progress update"
    verbose_name_plural = "history of progress updates"
    extra = 0
    can_delete = False
    fields = [
        "created_at",
        "author",
        "kind",
        "note",
        "previous_status",
        "status",
        "percent_complete",
        "evidence_url",
        "evidence_file_name",
    ]
    readonly_fields = fields
    ordering = ["-created_at"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("author")


class AddProgressForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["note", "status", "percent_complete", "evidence_url", "evidence_file"]

    def clean(self):
        cleaned = super().clean()
        action = self.instance.action
        if action.pk is None:
            raise ValidationError("Save the action first, then log progress on it.")
        try:
            services.validate_progress(
                action=action,
                status=cleaned.get("status"),
                percent_complete=cleaned.get("percent_complete"),
                note=cleaned.get("note", ""),
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    for e in errors:
                        self.add_error(field if field in self.fields else None, e)
            else:
                raise
        return cleaned


class AddProgressInline(admin.StackedInline):
    """A new entry in the timeline; saved through services.log_progress."""

    model = ProgressUpdate
    form = AddProgressForm
    verbose_name = "new progress update"
    verbose_name_plural = "log progress"
    extra = 1
    max_num = 1
    can_delete = False

    def get_queryset(self, request):
        return super().get_queryset(request).none()

    def has_change_permission(self, request, obj=None):
        return obj is not None


# What the admin may change about an existing action through services.action_edit.
# Status and progress change only through the timeline; the original due date
# never changes; a revised due date goes through services.revise_due_date.
EDITABLE_FIELDS = (
    "finding",
    "title",
    "description",
    "success_measure",
    "owner",
    "contributors",
    "lead_service",
    "priority",
    "start_date",
)
CREATE_FIELDS = (*EDITABLE_FIELDS, "due_date")
STALE_MESSAGE = (
    "Someone else changed this action after you opened this page. Your changes have not "
    "been saved: open the action again to see it as it is now, then make your changes."
)


class _DryRun(Exception):
    """Undo a trial run of the services: the form only wanted to know if they would agree."""


class ActionAdminForm(forms.ModelForm):
    """The admin's action form: every write goes through actions.services.

    On an existing action the form carries the version it was opened at; a save
    is refused ("someone else changed this") when the action has changed since.
    The form asks the services themselves whether they would accept the change,
    by running them and rolling back, so the admin shows the same rules as the
    service pages, as form errors, and writes nothing when one refuses.
    """

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0, max_value=2**31 - 1
    )
    revision_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you change the revised due date: it goes in the action's timeline.",
    )

    # Set by ActionAdmin.get_form: who is saving.
    editor = None

    class Meta:
        model = Action
        fields = [*CREATE_FIELDS, "revised_due_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields.pop("expected_version", None)
            self.fields.pop("revision_reason", None)
        elif "expected_version" in self.fields:
            self.fields["expected_version"].initial = self.instance.version

    # --- what the save will do --------------------------------------------------------------------

    def edits(self) -> dict:
        """The fields of an existing action that this form changes, for services.action_edit."""
        return {
            name: self.cleaned_data[name]
            for name in EDITABLE_FIELDS
            if name in self.fields and name in self.changed_data and name in self.cleaned_data
        }

    def revises_due_date(self) -> bool:
        return "revised_due_date" in self.fields and "revised_due_date" in self.changed_data

    def apply(self, action: Action) -> Action:
        """Write the change through the services; `action` is a fresh copy from the database."""
        if self.instance.pk is None:
            fields = {name: self.cleaned_data.get(name) for name in CREATE_FIELDS}
            fields["contributors"] = list(fields["contributors"] or ())
            fields = {name: value for name, value in fields.items() if value is not None}
            return services.action_create(created_by=self.editor, **fields)
        edits = self.edits()
        if edits:
            action = services.action_edit(
                action=action,
                editor=self.editor,
                expected_version=self.cleaned_data["expected_version"],
                **edits,
            )
        if self.revises_due_date():
            services.revise_due_date(
                action=action,
                manager=self.editor,
                revised_due_date=self.cleaned_data["revised_due_date"],
                reason=self.cleaned_data.get("revision_reason", ""),
            )
        return action

    # --- validation -------------------------------------------------------------------------------

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        if self.instance.pk is not None:
            if not self.edits() and not self.revises_due_date():
                return cleaned
            if not self._check_version_and_revision(cleaned):
                return cleaned
        self._try_the_services()
        return cleaned

    def _check_version_and_revision(self, cleaned) -> bool:
        # Lock the row for the rest of the admin's request (its view is one
        # transaction): nobody can change the action between this check and the save.
        rows = Action.objects.filter(pk=self.instance.pk)
        if transaction.get_connection().in_atomic_block:
            rows = rows.select_for_update()
        current = rows.values_list("version", flat=True).first()
        if current is None or cleaned.get("expected_version") != current:
            self.add_error(None, STALE_MESSAGE)
            return False
        if self.revises_due_date():
            if cleaned.get("revised_due_date") is None:
                self.add_error(
                    "revised_due_date",
                    "A revised due date can be changed but not removed: to go back to the "
                    "original date, enter it here.",
                )
            if not (cleaned.get("revision_reason") or "").strip():
                self.add_error("revision_reason", "Say why the due date is changing.")
        return not self.errors

    def _try_the_services(self) -> None:
        try:
            with transaction.atomic():
                fresh = Action.objects.get(pk=self.instance.pk) if self.instance.pk else None
                self.apply(fresh)
                raise _DryRun
        except _DryRun:
            pass
        except services.StaleVersion:
            self.add_error(None, STALE_MESSAGE)
        except ValidationError as error:
            self._add_service_errors(error)
        except PermissionDenied as error:
            self.add_error(None, str(error) or "You may not make this change.")

    def _add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, messages_ in error.error_dict.items():
            field = "revision_reason" if field == "reason" else field
            for message in messages_:
                self.add_error(field if field in self.fields else None, message)


@admin.register(Action)
class ActionAdmin(AuditedAdmin):
    list_display = [
        "title",
        "council_name",
        "finding_title",
        "owner",
        "status",
        "effective_due_display",
        "progress_display",
        "rag_display",
    ]
    list_filter = [
        RagFilter,
        OverdueFilter,
        "status",
        "priority",
        "finding__inspection__kind",
        "finding__inspection__council__region",
        # Every council from the councils table: "only those with actions" would scan them
        # all. No filter by owner (thousands of people nationally): search finds them.
        "finding__inspection__council",
        "finding__theme",
    ]
    search_fields = [
        "title",
        "description",
        "finding__short_title",
        "owner__username",
        "owner__first_name",
        "owner__last_name",
        "lead_service",
    ]
    list_select_related = ["owner", "finding__inspection__council"]
    # One count (of the filtered rows), not a second of every action in the country.
    show_full_result_count = False
    autocomplete_fields = ["finding", "owner", "contributors"]
    form = ActionAdminForm
    readonly_fields = [
        "status",
        "percent_complete",
        "rag_display",
        "signed_off_by",
        "signed_off_at",
        "last_progress_at",
        "version",
    ]
    fieldsets = (
        (None, {"fields": ("finding", "title", "description", "success_measure")}),
        ("Who", {"fields": ("owner", "contributors", "lead_service", "priority")}),
        (
            "When",
            {"fields": ("start_date", "due_date", "revised_due_date", "revision_reason")},
        ),
        (
            "Where it stands",
            {
                "fields": (
                    "status",
                    "percent_complete",
                    "rag_display",
                    "signed_off_by",
                    "signed_off_at",
                    "last_progress_at",
                    "version",
                    "expected_version",
                )
            },
        ),
    )
    # A new action: what services.action_create takes. Its due date may be revised later.
    add_fieldsets = (
        (None, {"fields": ("finding", "title", "description", "success_measure")}),
        ("Who", {"fields": ("owner", "contributors", "lead_service", "priority")}),
        ("When", {"fields": ("start_date", "due_date")}),
    )
    inlines = [AddProgressInline, ProgressHistoryInline]

    class Media:
        css = {"all": ["admin_extra/tracker-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_rag()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def get_fieldsets(self, request, obj=None):
        return self.fieldsets if obj is not None else self.add_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            # The date first agreed is kept for the record; moving it is a revision.
            readonly.append("due_date")
        return readonly

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.editor = request.user
        return form

    @admin.display(description="council", ordering="finding__inspection__council__name")
    def council_name(self, obj):
        return obj.finding.inspection.council.name

    @admin.display(description="finding", ordering="finding__short_title")
    def finding_title(self, obj):
        return obj.finding.short_title

    @admin.display(description="due", ordering="effective_due")
    def effective_due_display(self, obj):
        if obj.revised_due_date:
            return f"{obj.revised_due_date:%-d %b %Y} (revised from {obj.due_date:%-d %b %Y})"
        return f"{obj.due_date:%-d %b %Y}"

    @admin.display(description="% complete", ordering="percent_complete")
    def progress_display(self, obj):
        return progress_bar(obj.percent_complete)

    @admin.display(description="RAG", ordering="rag_rank")
    def rag_display(self, obj):
        if obj.pk is None:
            return "-"
        assessment = obj.assess(Clock.current())
        return rag_tag(assessment.rag, assessment.label)

    def save_model(self, request, obj, form, change):
        # Through the services, as on the service pages: the row is locked, the
        # version checked (the form did both, and holds the lock), a revised due
        # date is written in the timeline, and the audit trail names the editor.
        fresh = Action.objects.get(pk=obj.pk) if change else None
        saved = form.apply(fresh)
        if not change:
            obj.pk = saved.pk
            obj._state.adding = False
        obj.refresh_from_db()

    def save_related(self, request, form, formsets, change):
        # No form.save_m2m(): contributors went through the service with the rest.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ProgressUpdate:
            return super().save_formset(request, form, formset, change)
        # The admin's change message reads these; the history inline never changes rows.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            if not inline_form.has_changed() or not inline_form.cleaned_data:
                continue
            data = inline_form.cleaned_data
            try:
                update = services.log_progress(
                    action=form.instance,
                    author=request.user,
                    note=data["note"],
                    status=data["status"],
                    percent_complete=data["percent_complete"],
                    evidence_url=data.get("evidence_url", ""),
                    evidence_file=data.get("evidence_file") or None,
                )
                formset.new_objects.append(update)
            except PermissionDenied as error:
                messages.error(request, f"Progress was not logged: {error}")


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(admin.ModelAdmin):
    """Read-only: the timeline is added to from the action, never edited."""

    list_display = ["created_at", "action", "author", "kind", "status", "percent_complete"]
    list_filter = ["kind", "status"]
    search_fields = ["note", "action__title", "author__username"]
    list_select_related = ["action", "author"]
    date_hierarchy = "created_at"
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
