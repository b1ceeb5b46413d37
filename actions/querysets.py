from django.db import models
from django.db.models.functions import Coalesce

from .rag import (
    CLOSED_STATUSES,
    Clock,
    Rag,
    Status,
    overdue_condition,
    rag_case,
    rag_conditions,
    rag_rank_case,
)


class ActionQuerySet(models.QuerySet):
    def for_council(self, council):
        return self.filter(finding__inspection__council=council)

    def live(self):
        """Everything but cancelled actions."""
        return self.exclude(status=Status.CANCELLED)

    def not_closed(self):
        """Neither signed off nor cancelled: the actions that still need their owner."""
        return self.exclude(status__in=CLOSED_STATUSES)

    def with_rag(self, clock: Clock | None = None):
        """Annotate rag_code (a Rag value), rag_rank (0 = most urgent) and effective_due."""
        clock = clock or Clock.current()
        return self.annotate(
            rag_code=rag_case(clock),
            rag_rank=rag_rank_case(clock),
            effective_due=Coalesce("revised_due_date", "due_date"),
        )

    def with_rag_colour(self, rag: Rag, clock: Clock | None = None):
        return self.filter(rag_conditions(clock or Clock.current())[rag])

    def overdue(self, clock: Clock | None = None):
        return self.filter(overdue_condition(clock or Clock.current()))

    def for_list(self):
        """What a list of actions shows beside each row, loaded in the same query."""
        return self.select_related(
            "owner", "finding__inspection__council", "finding__theme", "signed_off_by"
        )

    def most_urgent_first(self):
        return self.order_by("rag_rank", "effective_due", "id")


class ProgressUpdateQuerySet(models.QuerySet):
    def for_council(self, council):
        return self.filter(council=council)

    def update(self, **kwargs):
        raise NotImplementedError("Progress updates cannot be changed once written.")

    def delete(self):
        raise NotImplementedError("Progress updates cannot be deleted.")
