"""RAG ratings for actions: the one place that defines them.

The same rules are written twice on purpose, in two forms that a test keeps in
step: as Q objects, so that lists can be filtered, sorted and counted in SQL,
and as a plain function that also explains the rating in words.

- Blue: complete (signed off).
- Red: blocked, or past its due date (the revised one if there is one) and not delivered.
- Amber: delivered and awaiting sign-off; due within 14 days; or no update for 30 days.
- Green: on track.
- Cancelled actions are not rated and count towards nothing.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone

DUE_SOON_DAYS = 14
STALE_AFTER_DAYS = 30


class Rag(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"
    BLUE = "blue", "Blue"
    NOT_RATED = "not_rated", "Not rated"


# Worst first: the order in which a list of actions is summed up.
RAG_SEVERITY = (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE)


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    BLOCKED = "blocked", "Blocked"
    DELIVERED = "delivered", "Delivered, awaiting sign-off"
    COMPLETE = "complete", "Complete"
    CANCELLED = "cancelled", "Cancelled"


# Statuses in which the work is still to be done, so lateness counts against it.
OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS)
# Statuses in which an action past its due date is overdue: not delivered, not closed.
LATE_STATUSES = (*OPEN_STATUSES, Status.BLOCKED)
# Closed: signed off or cancelled. Until then an action still needs its owner.
CLOSED_STATUSES = (Status.COMPLETE, Status.CANCELLED)


@dataclass(frozen=True)
class Clock:
    """'Now' for a rating: the date in England and the moment, fixed for one request."""

    today: datetime.date
    now: datetime.datetime

    @classmethod
    def current(cls) -> "Clock":
        return cls(today=timezone.localdate(), now=timezone.now())

    @property
    def due_soon_by(self) -> datetime.date:
        return self.today + datetime.timedelta(days=DUE_SOON_DAYS)

    @property
    def stale_before(self) -> datetime.datetime:
        return self.now - datetime.timedelta(days=STALE_AFTER_DAYS)


class ClockMixin:
    """For views: one 'now' (self.clock) for the whole request, so a page's ratings agree."""

    @cached_property
    def clock(self) -> Clock:
        return Clock.current()


def _due(prefix: str, lookup: str, value) -> Q:
    """A condition on the due date that counts: the revised one, else the original."""
    return Q(**{f"{prefix}revised_due_date__{lookup}": value}) | Q(
        **{f"{prefix}revised_due_date__isnull": True, f"{prefix}due_date__{lookup}": value}
    )


def overdue_condition(clock: Clock, prefix: str = "") -> Q:
    """Past its due date (the revised one if set) and not yet delivered."""
    return Q(**{f"{prefix}status__in": LATE_STATUSES}) & _due(prefix, "lt", clock.today)


def is_overdue(*, status: str, due_date, revised_due_date, today) -> bool:
    """overdue_condition() for one action, without a query."""
    return status in LATE_STATUSES and (revised_due_date or due_date) < today


def rag_conditions(clock: Clock, prefix: str = "") -> dict[Rag, Q]:
    """One condition per colour, mutually exclusive, for actions reached by `prefix`.

    Written without negation so that they mean the same across joins (a prefix such
    as "actions__" or "findings__actions__") and with nullable columns.
    """
    p = prefix
    open_ = Q(**{f"{p}status__in": OPEN_STATUSES})
    overdue = _due(p, "lt", clock.today)
    not_overdue = _due(p, "gte", clock.today)
    due_soon = _due(p, "lte", clock.due_soon_by)
    not_due_soon = _due(p, "gt", clock.due_soon_by)
    stale = Q(**{f"{p}last_progress_at__lt": clock.stale_before})
    fresh = Q(**{f"{p}last_progress_at__gte": clock.stale_before})
    return {
        Rag.BLUE: Q(**{f"{p}status": Status.COMPLETE}),
        Rag.NOT_RATED: Q(**{f"{p}status": Status.CANCELLED}),
        Rag.RED: Q(**{f"{p}status": Status.BLOCKED}) | (open_ & overdue),
        Rag.AMBER: Q(**{f"{p}status": Status.DELIVERED})
        | (open_ & not_overdue & (due_soon | stale)),
        Rag.GREEN: open_ & not_overdue & not_due_soon & fresh,
    }


def rag_case(clock: Clock) -> Case:
    """The colour of each action as an SQL expression, for annotate() and filter()."""
    conditions = rag_conditions(clock)
    return Case(
        *(When(conditions[rag], then=Value(rag.value)) for rag in Rag),
        default=Value(Rag.NOT_RATED.value),
        output_field=models.CharField(),
    )


def rag_rank_case(clock: Clock) -> Case:
    """Most urgent first when sorted ascending: red 0, amber 1, green 2, blue 3, not rated 4."""
    conditions = rag_conditions(clock)
    order = (*RAG_SEVERITY, Rag.NOT_RATED)
    return Case(
        *(When(conditions[rag], then=Value(order.index(rag))) for rag in order),
        default=Value(len(order)),
        output_field=models.IntegerField(),
    )


@dataclass(frozen=True)
class RagAssessment:
    rag: Rag
    reason: str

    @property
    def label(self) -> str:
        return f"{self.rag.label}: {self.reason}"

    def __str__(self):
        return self.label


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def assess(
    *,
    status: str,
    due_date: datetime.date,
    revised_due_date: datetime.date | None,
    last_progress_at: datetime.datetime,
    signed_off_at: datetime.datetime | None,
    clock: Clock,
) -> RagAssessment:
    """The colour of one action and why, in words ready to show."""
    due = revised_due_date or due_date
    if status == Status.COMPLETE:
        when = timezone.localdate(signed_off_at) if signed_off_at else None
        return RagAssessment(
            Rag.BLUE, f"complete, signed off on {when:%-d %B %Y}" if when else "complete"
        )
    if status == Status.CANCELLED:
        return RagAssessment(Rag.NOT_RATED, "cancelled")
    days_late = (clock.today - due).days
    if status == Status.BLOCKED:
        late = f", {_days(days_late)} overdue" if days_late > 0 else ""
        return RagAssessment(Rag.RED, f"blocked{late}")
    if status == Status.DELIVERED:
        return RagAssessment(Rag.AMBER, "delivered, awaiting sign-off")
    if days_late > 0:
        return RagAssessment(Rag.RED, f"{_days(days_late)} overdue")
    reasons = []
    if due <= clock.due_soon_by:
        if days_late == 0:
            reasons.append("due today")
        elif days_late == -1:
            reasons.append("due tomorrow")
        else:
            reasons.append(f"due in {_days(-days_late)}")
    if last_progress_at < clock.stale_before:
        idle = (clock.now - last_progress_at).days
        reasons.append(f"no update for {_days(idle)}")
    if reasons:
        return RagAssessment(Rag.AMBER, " and ".join(reasons))
    return RagAssessment(Rag.GREEN, f"on track, due {due:%-d %B %Y}")
