"""Progress toward a finding, an inspection or a council, computed in SQL.

Each roll-up is a set of aggregates over the actions reached through a path
("actions", "findings__actions", "inspections__findings__actions"), so a whole
list is annotated in one query. Cancelled actions count towards nothing.
"""

from dataclasses import dataclass

from django.db.models import Avg, Count, Min, Q
from django.db.models.functions import Coalesce, Round

from .rag import RAG_SEVERITY, Clock, Rag, Status, overdue_condition, rag_conditions


def progress_annotations(path: str, clock: Clock) -> dict:
    prefix = f"{path}__"
    live = Q(**{f"{prefix}status__in": [s for s in Status.values if s != Status.CANCELLED]})
    conditions = rag_conditions(clock, prefix)
    annotations = {
        "action_count": Count(path, filter=live),
        "progress": Round(Avg(f"{prefix}percent_complete", filter=live)),
        "complete_count": Count(path, filter=conditions[Rag.BLUE]),
        # The oldest due date among the late actions, to say how late the worst is.
        "earliest_overdue": Min(
            Coalesce(f"{prefix}revised_due_date", f"{prefix}due_date"),
            filter=overdue_condition(clock, prefix),
        ),
    }
    for rag in RAG_SEVERITY:
        annotations[f"{rag.value}_count"] = Count(path, filter=conditions[rag])
    return annotations


def councils_with_progress(councils, clock: Clock):
    """A queryset of councils, each with its whole plan's progress_annotations().

    Here rather than on CouncilQuerySet: councils/ imports nothing from actions/.
    (Findings and inspections have theirs as .with_progress() on their querysets.)
    """
    return councils.annotate(**progress_annotations("inspections__findings__actions", clock))


def attach_progress(rows: list, clock: Clock) -> list:
    """Set progress_annotations() on findings or inspections already loaded, in one query.

    For rows read with joins that grouping would make costly (a finding with its chain
    of repeats), or chosen before their progress is wanted (an admin changelist's
    page): their actions are counted by the rows' ids alone.
    """
    if not rows:
        return rows
    model = type(rows[0])
    annotated = (
        model._default_manager.filter(pk__in=[row.pk for row in rows])
        .order_by()
        .with_progress(clock)
    )
    names = list(annotated.query.annotations)
    progress = {values.pop("pk"): values for values in annotated.values("pk", *names)}
    # A row deleted since it was loaded has no actions left to count.
    none_left = {
        name: 0 if isinstance(expression, Count) else None
        for name, expression in annotated.query.annotations.items()
    }
    for row in rows:
        for name, value in progress.get(row.pk, none_left).items():
            setattr(row, name, value)
    return rows


@dataclass(frozen=True)
class ProgressSummary:
    """What an annotated finding, inspection or council shows: ready for a template."""

    action_count: int
    complete_count: int
    progress: int | None
    counts: dict[Rag, int]
    worst: Rag | None
    reason: str

    @property
    def label(self) -> str:
        return f"{self.worst.label}: {self.reason}" if self.worst else self.reason


def summarise(obj, clock: Clock) -> ProgressSummary:
    """Read the annotations of progress_annotations() back into a summary."""
    counts = {rag: getattr(obj, f"{rag.value}_count") for rag in RAG_SEVERITY}
    worst = next((rag for rag in RAG_SEVERITY if counts[rag]), None)
    total = obj.action_count
    if worst is None:
        reason = "no actions yet"
    elif worst == Rag.RED:
        parts = [f"{counts[Rag.RED]} of {total} actions red"]
        if obj.earliest_overdue:
            days = (clock.today - obj.earliest_overdue).days
            parts.append(f"the worst is {days} day{'s' if days != 1 else ''} overdue")
        reason = ", ".join(parts)
    elif worst == Rag.AMBER:
        reason = f"{counts[Rag.AMBER]} of {total} actions amber"
    elif worst == Rag.GREEN:
        reason = f"{counts[Rag.GREEN]} of {total} actions on track"
    else:
        reason = f"all {total} actions complete"
    progress = None if obj.progress is None else int(obj.progress)
    return ProgressSummary(total, obj.complete_count, progress, counts, worst, reason)
