"""Reads for the council dashboard: a fixed number of queries, whatever the plan's size.

The RAG counts, the overdue count and the lists read through the same rules and
querysets as every other report (actions.rag, ActionQuerySet, inspections.selectors).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Avg, Count, Q
from django.db.models.functions import Round

from actions.models import Action, ProgressUpdate
from actions.rag import RAG_SEVERITY, Clock, Rag, Status, overdue_condition, rag_conditions
from councils.models import Council
from inspections.models import Finding, Inspection, Judgement
from inspections.selectors import (
    judgements_in_order,
    open_findings,
    with_assessment,
    with_summary,
)

# How far ahead "due soon" looks on the dashboard, and how many rows each list shows
# before it links to the full, filtered list of actions.
DUE_WITHIN_DAYS = 30
LIST_LIMIT = 10
RECENT_UPDATES = 10


@dataclass
class ActionTotals:
    """The council's live actions counted by status and by RAG, in one query."""

    by_status: list[tuple[Status, int]]
    by_rag: list[tuple[Rag, int]]
    total: int
    # Average percent complete of live (not cancelled) actions; None when there are none.
    progress: int | None
    overdue: int
    due_soon: int


@dataclass
class Dashboard:
    council: Council
    clock: Clock
    latest_inspection: Inspection | None
    # The latest graded inspection, when it is not the latest inspection (a visit
    # after a full inspection has no grades of its own).
    latest_graded: Inspection | None
    grades: list[Judgement]
    totals: ActionTotals
    open_findings: list[Finding]
    overdue_actions: list[Action]
    due_soon_actions: list[Action]
    recent_updates: list[ProgressUpdate]
    due_from: datetime.date
    due_until: datetime.date

    @property
    def graded_inspection(self) -> Inspection | None:
        """Whichever inspection the grades on the page come from."""
        if self.latest_inspection is not None and self.latest_inspection.is_graded:
            return self.latest_inspection
        return self.latest_graded


def _due(lookup: str, value) -> Q:
    return Q(**{f"revised_due_date__{lookup}": value}) | Q(
        revised_due_date__isnull=True, **{f"due_date__{lookup}": value}
    )


def due_between(start: datetime.date, end: datetime.date) -> Q:
    """Actions whose due date that counts falls in [start, end], whatever their status.

    The same rule as the actions list's `due_after` and `due_before`, so the number
    on the dashboard is the number of rows its link shows.
    """
    return _due("gte", start) & _due("lte", end)


def action_totals(council: Council, clock: Clock, due_until: datetime.date) -> ActionTotals:
    conditions = rag_conditions(clock)
    aggregates = {
        f"status_{status.value}": Count("pk", filter=Q(status=status)) for status in Status
    }
    aggregates |= {f"rag_{rag.value}": Count("pk", filter=conditions[rag]) for rag in RAG_SEVERITY}
    # The same rule as ActionQuerySet.overdue(), so the count is the overdue list's length.
    aggregates["overdue"] = Count("pk", filter=overdue_condition(clock))
    # Rounded as the findings' and inspections' roll-ups round (half up, in SQL), so the
    # whole plan's figure and theirs agree.
    aggregates["progress"] = Round(Avg("percent_complete", filter=~Q(status=Status.CANCELLED)))
    aggregates["due_soon"] = Count("pk", filter=due_between(clock.today, due_until))
    counts = Action.objects.for_council(council).aggregate(**aggregates)
    by_status = [(status, counts[f"status_{status.value}"]) for status in Status]
    return ActionTotals(
        by_status=by_status,
        by_rag=[(rag, counts[f"rag_{rag.value}"]) for rag in RAG_SEVERITY],
        total=sum(n for status, n in by_status if status != Status.CANCELLED),
        progress=None if counts["progress"] is None else int(counts["progress"]),
        overdue=counts["overdue"],
        due_soon=counts["due_soon"],
    )


def dashboard(council: Council, clock: Clock | None = None) -> Dashboard:
    clock = clock or Clock.current()
    inspections = Inspection.objects.for_council(council).order_by("-start_date", "-pk")
    latest = inspections.with_progress(clock).with_priority_flag().first()
    if latest is not None:
        latest.summary = with_summary([latest], clock)[0].summary
    # Always asked for, even when the latest inspection is graded, so the page
    # runs the same queries whatever kind of visit came last.
    graded = inspections.graded().prefetch_related("judgements").first()
    latest_graded = (
        graded if graded is not None and graded.pk != getattr(latest, "pk", None) else None
    )
    grades = judgements_in_order(graded) if graded is not None else []
    due_until = clock.today + datetime.timedelta(days=DUE_WITHIN_DAYS)
    # Only what the two short lists show: the wider for_list() joins brought each
    # action's inspection, with its whole letter, into every row.
    actions = (
        Action.objects.for_council(council)
        .with_rag(clock)
        .select_related("owner", "finding")
        .defer("description", "success_measure", "finding__text")
    )
    overdue_actions = with_assessment(
        actions.overdue(clock).most_urgent_first()[:LIST_LIMIT], clock
    )
    due_soon_actions = with_assessment(
        actions.filter(due_between(clock.today, due_until)).order_by("effective_due", "id")[
            :LIST_LIMIT
        ],
        clock,
    )
    return Dashboard(
        council=council,
        clock=clock,
        latest_inspection=latest,
        latest_graded=latest_graded,
        grades=grades,
        totals=action_totals(council, clock, due_until),
        open_findings=open_findings(council, clock),
        overdue_actions=overdue_actions,
        due_soon_actions=due_soon_actions,
        recent_updates=list(
            ProgressUpdate.objects.for_council(council)
            .select_related("author", "action")
            .defer("action__description", "action__success_measure")
            .order_by("-created_at", "-id")[:RECENT_UPDATES]
        ),
        due_from=clock.today,
        due_until=due_until,
    )
