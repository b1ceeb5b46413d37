from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from actions.admin_display import ProgressColumnsMixin
from actions.models import Action
from councils.admin_audit import AuditedAdmin

from .frameworks import Grade
from .models import GRADED_KINDS, Finding, Inspection, Judgement, Theme


class JudgementFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        inspection = self.instance
        kept = [f for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        if kept and inspection.kind and inspection.kind not in GRADED_KINDS:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                f"A {inspection.get_kind_display().lower()} is not graded: remove the judgements."
            )


class JudgementInline(admin.TabularInline):
    model = Judgement
    formset = JudgementFormSet
    extra = 0
    max_num = 6


class FindingInline(admin.StackedInline):
    model = Finding
    extra = 0
    fields = ["position", "short_title", "text", "theme", "is_priority_action", "repeats"]
    autocomplete_fields = ["repeats"]
    show_change_link = True


class GradeFilter(admin.SimpleListFilter):
    title = "grade"
    parameter_name = "grade"

    def lookups(self, request, model_admin):
        return Grade.choices

    def queryset(self, request, queryset):
        # Only the grades there are: anything else ("x", "9") is no filter at all.
        grades = {str(value): value for value in Grade.values}
        if self.value() in grades:
            return queryset.filter(judgements__grade=grades[self.value()]).distinct()
        return queryset


@admin.register(Inspection)
class InspectionAdmin(ProgressColumnsMixin, AuditedAdmin):
    list_display = [
        "council",
        "title",
        "start_date",
        "published_on",
        "worst_grade_display",
        "progress_display",
        "rag_display",
    ]
    list_filter = [
        "kind",
        GradeFilter,
        "council__region",
        "council",
    ]
    search_fields = ["council__name", "lead_inspector", "letter_text"]
    date_hierarchy = "start_date"
    list_select_related = ["council"]
    ordering = ["-start_date", "council__name"]
    # One count (of the filtered rows), not a second of every inspection in the country.
    show_full_result_count = False
    autocomplete_fields = ["council"]
    inlines = [JudgementInline, FindingInline]
    readonly_fields = ["framework_name"]
    fieldsets = (
        (None, {"fields": ("council", "kind", "focus_theme", "visit_number")}),
        ("Dates", {"fields": ("start_date", "end_date", "published_on", "framework_name")}),
        (
            "The letter",
            {"fields": ("lead_inspector", "report_url", "ofsted_file_id", "letter_text")},
        ),
    )

    def get_queryset(self, request):
        # Progress is counted for the page's rows only (ProgressColumnsMixin).
        return super().get_queryset(request).with_worst_grade()

    @admin.display(description="framework")
    def framework_name(self, obj):
        return obj.framework.name if obj.start_date else "Set the first day on site"

    @admin.display(description="worst grade", ordering="worst_grade")
    def worst_grade_display(self, obj):
        if obj.worst_grade is None:
            return "Not graded" if not obj.is_graded else "No grades entered"
        return obj.framework.grade_label(obj.worst_grade)


class ActionInline(admin.TabularInline):
    """The finding's actions, read only: an action is added and changed on its own page,
    through actions.services (row lock, version check, timeline entries)."""

    model = Action
    extra = 0
    fields = [
        "title",
        "owner",
        "priority",
        "due_date",
        "revised_due_date",
        "status",
        "percent_complete",
    ]
    readonly_fields = fields
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Finding)
class FindingAdmin(ProgressColumnsMixin, AuditedAdmin):
    list_display = [
        "short_title",
        "council_name",
        "inspection_title",
        "theme",
        "priority_display",
        "progress_display",
        "rag_display",
    ]
    list_filter = [
        "theme",
        "is_priority_action",
        "inspection__kind",
        "inspection__council__region",
        "inspection__council",
    ]
    search_fields = ["short_title", "text", "inspection__council__name"]
    list_select_related = ["inspection__council", "theme"]
    ordering = ["-inspection__start_date", "inspection__council__name", "position"]
    show_full_result_count = False
    autocomplete_fields = ["inspection", "repeats"]
    inlines = [ActionInline]

    @admin.display(description="priority", boolean=True, ordering="is_priority_action")
    def priority_display(self, obj):
        return obj.is_priority_action

    @admin.display(description="council", ordering="inspection__council__name")
    def council_name(self, obj):
        return obj.inspection.council.name

    @admin.display(description="inspection", ordering="inspection__start_date")
    def inspection_title(self, obj):
        return f"{obj.inspection.title} ({obj.inspection.start_date:%b %Y})"


@admin.register(Theme)
class ThemeAdmin(AuditedAdmin):
    list_display = ["name", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}
