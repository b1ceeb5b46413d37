from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from councils.models import Council

from .deadlines import PlanDeadline, plan_deadline
from .frameworks import Framework, Grade, JudgementArea, framework_on
from .querysets import FindingQuerySet, InspectionQuerySet


class InspectionKind(models.TextChoices):
    STANDARD = "standard", "Standard inspection"
    SHORT = "short", "Short inspection"
    FOCUSED_VISIT = "focused_visit", "Focused visit"
    MONITORING_VISIT = "monitoring_visit", "Monitoring visit"
    JTAI = "jtai", "Joint targeted area inspection"


# Only full inspections carry grades; visits and JTAIs are letters without grades.
GRADED_KINDS = (InspectionKind.STANDARD, InspectionKind.SHORT)
# Kinds that may name the theme they looked at.
THEMED_KINDS = (InspectionKind.FOCUSED_VISIT, InspectionKind.MONITORING_VISIT, InspectionKind.JTAI)


class FocusTheme(models.TextChoices):
    CARE_LEAVERS = "care_leavers", "Care leavers"
    CHILDREN_IN_CARE = "children_in_care", "Children in care"
    FRONT_DOOR = "front_door", "The front door: contact, referral and assessment"
    CHILDREN_IN_NEED_AND_PROTECTION = (
        "children_in_need_and_protection",
        "Children in need or subject to a child protection plan",
    )
    EXTRA_FAMILIAL_RISK = "extra_familial_risk", "Children at risk of harm outside the home"
    PERMANENCE = "permanence", "Planning and achieving permanence"
    OLDER_CHILDREN_PLACEMENTS = (
        "older_children_placements",
        "Placement decisions for older children",
    )
    DISABLED_CHILDREN = "disabled_children", "Disabled children"
    OTHER = "other", "Another theme (see the letter)"


ofsted_file_id_validator = RegexValidator(
    r"^[0-9]{4,12}\Z", "An Ofsted file id is a number, for example 50285468."
)


class Inspection(models.Model):
    """One inspection or visit by Ofsted, and the letter or report it led to."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(max_length=20, choices=InspectionKind.choices)
    focus_theme = models.CharField(
        max_length=40,
        choices=FocusTheme.choices,
        blank=True,
        help_text="Required for a focused visit; optional for monitoring visits and JTAIs.",
    )
    visit_number = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="For a monitoring visit: 1 for the first visit since the inadequate judgement.",
    )
    start_date = models.DateField("first day on site")
    end_date = models.DateField("last day on site")
    published_on = models.DateField("date published", null=True, blank=True)
    lead_inspector = models.CharField(
        max_length=150,
        blank=True,
        help_text="The lead His Majesty's Inspector named in the letter.",
    )
    report_url = models.URLField("link to the report", max_length=500, blank=True)
    ofsted_file_id = models.CharField(
        "Ofsted file id",
        max_length=12,
        blank=True,
        validators=[ofsted_file_id_validator],
        help_text="The number in the report's address on Ofsted's file service.",
    )
    letter_text = models.TextField(
        blank=True, help_text="The letter or report as published, if you want to keep a copy."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InspectionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_date", "council__name"]
        indexes = [models.Index(fields=["council", "-start_date"], name="inspection_council_date")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InspectionKind.values), name="inspection_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")), name="inspection_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(published_on__isnull=True) | Q(published_on__gte=F("start_date")),
                name="inspection_published_after_start",
            ),
            models.CheckConstraint(
                condition=~Q(kind=InspectionKind.FOCUSED_VISIT) | ~Q(focus_theme=""),
                name="inspection_focused_visit_has_theme",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=THEMED_KINDS) | Q(focus_theme=""),
                name="inspection_theme_only_on_themed_kinds",
            ),
            models.CheckConstraint(
                condition=Q(kind=InspectionKind.MONITORING_VISIT) | Q(visit_number__isnull=True),
                name="inspection_visit_number_only_on_monitoring",
            ),
        ]

    def __str__(self):
        return f"{self.council}: {self.title} ({self.start_date:%B %Y})"

    def get_absolute_url(self):
        return reverse("admin:inspections_inspection_change", args=[self.pk])

    @property
    def title(self) -> str:
        if self.kind == InspectionKind.FOCUSED_VISIT and self.focus_theme:
            return f"Focused visit: {self.get_focus_theme_display().lower()}"
        if self.kind == InspectionKind.MONITORING_VISIT and self.visit_number:
            return f"Monitoring visit {self.visit_number}"
        return self.get_kind_display()

    @property
    def is_graded(self) -> bool:
        return self.kind in GRADED_KINDS

    @property
    def framework(self) -> Framework:
        return framework_on(self.start_date)

    @property
    def plan_deadline(self) -> PlanDeadline | None:
        """When the action plan is due to Ofsted (None until the report is published).

        Reads has_priority_actions from InspectionQuerySet.with_priority_flag() when
        the page loaded it, so a list of inspections needs no query per row.
        """
        has_priority = getattr(self, "has_priority_actions", None)
        if has_priority is None:
            has_priority = self.findings.filter(is_priority_action=True).exists()
        return plan_deadline(self.published_on, has_priority_actions=has_priority)

    @property
    def ofsted_report_url(self) -> str:
        if self.report_url:
            return self.report_url
        if self.ofsted_file_id:
            return f"https://files.ofsted.gov.uk/v1/file/{self.ofsted_file_id}"
        return ""

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The last day on site must be on or after the first day."
        if self.published_on and self.start_date and self.published_on < self.start_date:
            errors["published_on"] = "The letter cannot be published before the inspection began."
        if self.kind == InspectionKind.FOCUSED_VISIT and not self.focus_theme:
            errors["focus_theme"] = "Choose the theme the focused visit looked at."
        if self.focus_theme and self.kind and self.kind not in THEMED_KINDS:
            errors["focus_theme"] = (
                f"A {self.get_kind_display().lower()} covers every area: leave the theme empty."
            )
        if self.visit_number and self.kind != InspectionKind.MONITORING_VISIT:
            errors["visit_number"] = "Only monitoring visits are numbered."
        if self.pk and self.kind and self.start_date:
            judged = set(self.judgements.values_list("area", flat=True))
            if judged and not self.is_graded:
                errors["kind"] = (
                    f"A {self.get_kind_display().lower()} has no grades, but this one has "
                    f"{len(judged)}. Remove the judgements first."
                )
            elif judged - set(self.framework.areas):
                errors["start_date"] = (
                    "Some judgements do not exist under the framework in force on this date "
                    f"({self.framework.name}). Change them first."
                )
        if errors:
            raise ValidationError(errors)


class Judgement(models.Model):
    """One graded judgement of a standard or short inspection."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="judgements")
    area = models.CharField(max_length=40, choices=JudgementArea.choices)
    grade = models.PositiveSmallIntegerField(choices=Grade.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "id"]
        constraints = [
            models.UniqueConstraint(fields=["inspection", "area"], name="judgement_one_per_area"),
            models.CheckConstraint(
                condition=Q(grade__in=Grade.values), name="judgement_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(area__in=JudgementArea.values), name="judgement_area_valid"
            ),
        ]

    def __str__(self):
        return f"{self.get_area_display()}: {self.grade_label}"

    @property
    def grade_label(self) -> str:
        return self.inspection.framework.grade_label(self.grade)

    def clean(self):
        inspection = getattr(self, "inspection", None)
        if inspection is None or not inspection.start_date or not inspection.kind:
            return
        if not inspection.is_graded:
            raise ValidationError(
                f"A {inspection.get_kind_display().lower()} is not graded: "
                "record its findings, not judgements."
            )
        framework = inspection.framework
        if self.area and self.area not in framework.areas:
            allowed = "; ".join(area.label for area in framework.areas)
            raise ValidationError(
                {
                    "area": f"“{self.get_area_display()}” was not a judgement under the "
                    f"{framework.name}, in force on {inspection.start_date:%-d %B %Y}. "
                    f"The judgements then were: {allowed}."
                }
            )


class Theme(models.Model):
    """A workstream that findings are grouped under; the list is edited by admins."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    is_active = models.BooleanField("in use", default=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Finding(models.Model):
    """An area for improvement, in the letter's own words."""

    inspection = models.ForeignKey(Inspection, on_delete=models.PROTECT, related_name="findings")
    position = models.PositiveSmallIntegerField(
        "number", help_text="Its place in the letter's list: 1 for the first."
    )
    text = models.TextField(help_text="Exactly as Ofsted wrote it.")
    short_title = models.CharField(max_length=120)
    theme = models.ForeignKey(
        Theme, null=True, blank=True, on_delete=models.PROTECT, related_name="findings"
    )
    is_priority_action = models.BooleanField(
        "area for priority action",
        default=False,
        help_text="Ofsted named this a serious concern needing priority action.",
    )
    repeats = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeated_by",
        verbose_name="repeats earlier finding",
        help_text="The finding of an earlier inspection that this one raises again.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = FindingQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["inspection", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "position"], name="finding_position_unique"
            ),
            models.CheckConstraint(condition=Q(position__gte=1), name="finding_position_positive"),
            models.CheckConstraint(condition=~Q(repeats=F("pk")), name="finding_not_own_repeat"),
        ]

    def __str__(self):
        return self.short_title

    def get_absolute_url(self):
        return reverse("admin:inspections_finding_change", args=[self.pk])

    @property
    def council(self) -> Council:
        return self.inspection.council

    def clean(self):
        earlier = self.repeats
        if earlier is None or not self.inspection_id:
            return
        if earlier.pk == self.pk:
            raise ValidationError({"repeats": "A finding cannot repeat itself."})
        # This council's own inspections, or those of a council it took over from.
        in_history = Inspection.objects.in_history_of(self.inspection.council)
        if not in_history.filter(pk=earlier.inspection_id).exists():
            raise ValidationError(
                {"repeats": "The earlier finding must come from this council's own inspections."}
            )
        if earlier.inspection.start_date >= self.inspection.start_date:
            raise ValidationError(
                {"repeats": "The earlier finding must come from an inspection before this one."}
            )

    def repeat_chain(self) -> list["Finding"]:
        """The earlier findings this one repeats, most recent first.

        Follows at most a few links, which the caller can load in one query with
        select_related("repeats__inspection", "repeats__repeats__inspection", ...).
        """
        chain, seen, current = [], {self.pk}, self.repeats
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.repeats
        return chain
