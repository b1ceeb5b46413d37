from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from councils.admin_audit import AuditedAdmin, OnlySuperusersDelete
from councils.admin_scoping import CouncilScopedAdmin

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


@admin.register(Action)
class ActionAdmin(CouncilScopedAdmin, OnlySuperusersDelete, AuditedAdmin):
    council_path = "finding__inspection__council"
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
        ("finding__inspection__council", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter),
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
    autocomplete_fields = ["finding", "owner", "contributors"]
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
        ("When", {"fields": ("start_date", "due_date", "revised_due_date")}),
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
                )
            },
        ),
    )
    inlines = [AddProgressInline, ProgressHistoryInline]

    class Media:
        css = {"all": ["admin_extra/tracker-admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).with_rag()

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

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
        if change:
            # Raise the version so an open edit form elsewhere cannot overwrite this one.
            obj.version += 1
        super().save_model(request, obj, form, change)

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
class ProgressUpdateAdmin(CouncilScopedAdmin, admin.ModelAdmin):
    council_path = "action__finding__inspection__council"
    """Read-only: the timeline is added to from the action, never edited."""

    list_display = ["created_at", "action", "author", "kind", "status", "percent_complete"]
    list_filter = ["kind", "status"]
    search_fields = ["note", "action__title", "author__username"]
    list_select_related = ["action", "author"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
