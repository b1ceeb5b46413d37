"""Reads for the inspection and finding pages: each one a fixed number of queries.

Every function starts from the council, so another council's inspection or
finding is simply not found (the views turn that into a 404). Progress and RAG
come from actions.rollups as SQL annotations; summaries are read back in Python
with actions.rollups.summarise(), which costs no queries.
"""

from dataclasses import dataclass, field

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404

from actions.models import Action
from actions.rag import Clock, Status
from actions.rollups import ProgressSummary, attach_progress, summarise
from councils.models import Council

from .models import Finding, Inspection, Judgement

# How many "repeats" links the finding page follows in its one query. Ofsted
# rarely revisits a council more than every few years, so five covers a decade.
HISTORY_DEPTH = 5


def status_count_annotations(path: str = "actions") -> dict:
    """One count per action status, over the same join as progress_annotations(path)."""
    return {
        f"status_{status.value}_count": Count(path, filter=Q(**{f"{path}__status": status}))
        for status in Status
    }


def status_counts(obj) -> list[tuple[Status, int]]:
    """The non-zero status counts of an object annotated by status_count_annotations()."""
    counts = ((status, getattr(obj, f"status_{status.value}_count", 0)) for status in Status)
    return [(status, count) for status, count in counts if count]


def with_summary(objects, clock: Clock):
    """Attach .summary (a ProgressSummary) to each annotated object; returns them as a list."""
    objects = list(objects)
    for obj in objects:
        obj.summary = summarise(obj, clock)
    return objects


def with_assessment(actions, clock: Clock) -> list[Action]:
    """Attach .assessment (the RAG colour and its reason, as of `clock`) to each action."""
    actions = list(actions)
    for action in actions:
        action.assessment = action.assess(clock)
    return actions


def grade_label(inspection: Inspection, grade: int | None) -> str:
    """A grade in the wording of the framework in force when the inspection began."""
    return inspection.framework.grade_label(grade) if grade else ""


def judgements_in_order(inspection: Inspection) -> list[Judgement]:
    """The inspection's (prefetched) judgements in the order the framework lists them."""
    order = {area: index for index, area in enumerate(inspection.framework.areas)}
    judgements = sorted(inspection.judgements.all(), key=lambda j: order.get(j.area, len(order)))
    for judgement in judgements:
        # Judgement.grade_label reads judgement.inspection: set it so that costs no query.
        judgement.inspection = inspection
    return judgements


# --- Inspections ---------------------------------------------------------------------


def inspections_for_list(council: Council, clock: Clock) -> QuerySet[Inspection]:
    """The council's inspections and its predecessors', newest first, with progress, RAG
    counts and worst grade."""
    return (
        Inspection.objects.in_history_of(council)
        .with_progress(clock)
        .with_worst_grade()
        .select_related("council")
        .order_by("-start_date", "-pk")
    )


def decorate_inspections(inspections, clock: Clock) -> list[Inspection]:
    """Attach .summary and .worst_grade_label to a page of inspections_for_list() rows."""
    inspections = with_summary(inspections, clock)
    for inspection in inspections:
        inspection.worst_grade_label = grade_label(inspection, inspection.worst_grade)
    return inspections


def inspection_years(council: Council) -> list[int]:
    """The years in which the council was inspected, newest first (for the year filter)."""
    dates = Inspection.objects.in_history_of(council).dates("start_date", "year", order="DESC")
    return [date.year for date in dates]


def inspections_for_detail(council: Council, clock: Clock) -> QuerySet[Inspection]:
    return (
        Inspection.objects.in_history_of(council)
        .with_progress(clock)
        .with_priority_flag()
        .select_related("council")
        .prefetch_related("judgements")
    )


def findings_of_inspection(inspection: Inspection, clock: Clock) -> list[Finding]:
    """The inspection's findings in the letter's order, each with .summary and .status_counts."""
    findings = (
        Finding.objects.filter(inspection=inspection)
        .with_progress(clock)
        .annotate(**status_count_annotations())
        .select_related("theme")
        .order_by("position")
    )
    findings = with_summary(findings, clock)
    for finding in findings:
        finding.status_counts = status_counts(finding)
        finding.inspection = inspection
    return findings


# --- Findings ------------------------------------------------------------------------


def open_findings(council: Council, clock: Clock) -> list[Finding]:
    """Findings still being worked on: some live action not yet complete, or no live actions.

    A finding whose actions were all cancelled, or that has none yet, still needs a
    plan, so it stays open. Most urgent first: most red actions, then most amber.
    """
    findings = (
        Finding.objects.for_council(council)
        .with_progress(clock)
        .annotate(**status_count_annotations())
        .filter(Q(action_count=0) | Q(complete_count__lt=F("action_count")))
        .select_related("inspection", "theme")
        # The rows are grouped by every column they select: not the letter or the text.
        .defer("text", "inspection__letter_text")
        .order_by("-red_count", "-amber_count", "-inspection__start_date", "position")
    )
    findings = with_summary(findings, clock)
    for finding in findings:
        finding.status_counts = status_counts(finding)
    return findings


def _repeats_chain(depth: int) -> list[str]:
    """select_related paths for `depth` links of the repeats chain and their inspections."""
    paths = []
    for level in range(1, depth + 1):
        link = "__".join(["repeats"] * level)
        paths.append(f"{link}__inspection__council")
    return paths


@dataclass
class FindingPage:
    finding: Finding
    summary: ProgressSummary
    actions: list[Action]
    earlier: list[Finding] = field(default_factory=list)
    # True when the chain of repeats goes back further than the page loaded.
    earlier_continues: bool = False
    later: list[Finding] = field(default_factory=list)
    same_theme: list[Finding] = field(default_factory=list)


def finding_page(council: Council, pk: int, clock: Clock) -> FindingPage:
    """Everything the finding page shows, in five queries; 404 if not the council's."""
    finding = get_object_or_404(
        Finding.objects.in_history_of(council).select_related(
            "inspection__council", "theme", *_repeats_chain(HISTORY_DEPTH)
        ),
        pk=pk,
    )
    # Apart: grouping the actions by every column of the twenty joins above cost
    # PostgreSQL more to plan than to run (13 ms at national scale).
    attach_progress([finding], clock)
    actions = with_assessment(
        Action.objects.filter(finding=finding)
        .with_rag(clock)
        .select_related("owner")
        .most_urgent_first(),
        clock,
    )
    for action in actions:
        action.finding = finding
    earlier, continues = _earlier_findings(finding)
    later = _later_findings(council, finding)
    return FindingPage(
        finding=finding,
        summary=summarise(finding, clock),
        actions=actions,
        earlier=earlier,
        earlier_continues=continues,
        later=later,
        same_theme=_same_theme_findings(council, finding, clock, exclude=[*earlier, *later]),
    )


def _earlier_findings(finding: Finding) -> tuple[list[Finding], bool]:
    """Finding.repeat_chain() as far as select_related loaded it, and whether it goes on.

    Stops at the first link not already loaded rather than querying for it, so the
    page costs the same however long the chain is.
    """
    chain, seen, current = [], {finding.pk}, finding
    while current.repeats_id is not None and current.repeats_id not in seen:
        if not Finding.repeats.is_cached(current):
            return chain, True
        current = current.repeats
        chain.append(current)
        seen.add(current.pk)
    return chain, False


def _later_findings(council: Council, finding: Finding) -> list[Finding]:
    """Findings of later inspections at this council (or its predecessors) that repeat this
    one, directly or not."""
    repeats_this = Q()
    for level in range(1, HISTORY_DEPTH + 1):
        repeats_this |= Q(**{"__".join(["repeats"] * level): finding})
    return list(
        Finding.objects.in_history_of(council)
        .filter(repeats_this)
        .exclude(pk=finding.pk)
        .select_related("inspection")
        .order_by("inspection__start_date", "position")
        .distinct()
    )


def _same_theme_findings(council: Council, finding: Finding, clock: Clock, exclude=()):
    """Other findings at this council (or its predecessors) under the same theme, newest
    inspection first."""
    if finding.theme_id is None:
        return []
    others = (
        Finding.objects.in_history_of(council)
        .filter(theme_id=finding.theme_id)
        .exclude(pk__in=[finding.pk, *(f.pk for f in exclude)])
        .with_progress(clock)
        .select_related("inspection")
        .order_by("-inspection__start_date", "position")
    )
    return with_summary(others, clock)
