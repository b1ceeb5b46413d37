"""Reads for the action pages: every one starts from the current council.

Each function returns a queryset (or an object) loaded with what its page shows,
so a page runs the same number of queries however many actions there are.
"""

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404

from councils.models import Council, Membership, User
from inspections.models import Finding, Inspection, Theme

from .models import Action, ProgressUpdate
from .rag import Clock, Status

# Statuses in the order work moves through them, for sorting by status.
_STATUS_ORDER = Case(
    *(When(status=status, then=Value(i)) for i, status in enumerate(Status.values)),
    default=Value(len(Status.values)),
    output_field=IntegerField(),
)

# ?sort= values a list accepts, and the ordering each means. Anything else is ignored.
SORTS: dict[str, tuple] = {
    "rag": ("rag_rank", "effective_due", "id"),
    "-rag": ("-rag_rank", "-effective_due", "-id"),
    "due": ("effective_due", "rag_rank", "id"),
    "-due": ("-effective_due", "rag_rank", "-id"),
    "status": (_STATUS_ORDER.asc(), "effective_due", "id"),
    "-status": (_STATUS_ORDER.desc(), "effective_due", "id"),
    "owner": ("owner__first_name", "owner__last_name", "owner__username", "effective_due", "id"),
    "-owner": (
        "-owner__first_name",
        "-owner__last_name",
        "-owner__username",
        "effective_due",
        "id",
    ),
    "title": (Lower("title").asc(), "id"),
    "-title": (Lower("title").desc(), "-id"),
    "priority": ("priority", "rag_rank", "effective_due", "id"),
    "-priority": ("-priority", "rag_rank", "effective_due", "id"),
}
DEFAULT_SORT = "rag"


def council_actions(council: Council, clock: Clock) -> QuerySet[Action]:
    """The council's actions with their RAG and what a list row shows, most urgent first."""
    return (
        Action.objects.for_council(council)
        .for_list()
        .with_rag(clock)
        .order_by(*SORTS[DEFAULT_SORT])
    )


def sorted_actions(actions: QuerySet[Action], sort: str) -> QuerySet[Action]:
    return actions.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


# Long text that a list's rows never show: a letter's text alone can be tens of kilobytes.
LIST_UNUSED_TEXT = (
    "description",
    "success_measure",
    "finding__text",
    "finding__inspection__letter_text",
)


class IdsFirst:
    """A filtered, sorted list of actions that a Paginator reads a page at a time.

    Sorting the whole joined rows (every column of each action, its finding,
    inspection, council, theme, owner and signer) only to keep 50 made every page
    cost as much as the whole council's plan. So a page's ids are chosen from the
    actions alone, with the filters and the sort, and only those rows are loaded
    with what a row shows, in the same order: one query, as before, whose subquery
    sorts narrow rows (`WHERE id IN (SELECT id ... ORDER BY ... LIMIT 50)`).
    """

    def __init__(self, actions: QuerySet[Action], clock: Clock):
        self.actions = actions
        self.clock = clock

    def count(self) -> int:
        return self.actions.count()

    def __getitem__(self, page: slice) -> QuerySet[Action]:
        ids = self.actions.values("pk")[page]
        return (
            Action.objects.filter(pk__in=ids)
            .for_list()
            .defer(*LIST_UNUSED_TEXT)
            .with_rag(self.clock)
            .order_by(*self.actions.query.order_by)
        )


def my_actions(
    council: Council, user, clock: Clock, *, include_closed: bool = False
) -> QuerySet[Action]:
    """Actions the user owns or contributes to at the council, most urgent first."""
    contributing = Action.contributors.through.objects.filter(user=user).values("action_id")
    actions = council_actions(council, clock).filter(Q(owner=user) | Q(pk__in=contributing))
    if not include_closed:
        actions = actions.not_closed()
    return actions.most_urgent_first()


def action_for_council(council: Council, pk: int) -> Action:
    """One of the council's actions, with everything its page shows, or 404."""
    return get_object_or_404(
        Action.objects.for_council(council)
        .select_related(
            "owner",
            "signed_off_by",
            "finding__theme",
            "finding__inspection__council",
        )
        .prefetch_related("contributors"),
        pk=pk,
    )


def _count_of(queryset, column: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset`, filtered on OuterRef through `column`; 0 if none."""
    counted = queryset.order_by().values(column).annotate(total=Count("*")).values("total")
    return Coalesce(Subquery(counted), Value(0))


def action_for_page(council: Council, pk: int) -> Action:
    """action_for_council, with how many timeline entries and saves the action has.

    `update_count` and `save_count` come in the same query as the action, so its page
    can say "Show all 1,500 updates" without a query per list.
    """
    history = Action.history.filter(id=OuterRef("pk"))
    return get_object_or_404(
        Action.objects.for_council(council)
        .select_related(
            "owner",
            "signed_off_by",
            "finding__theme",
            "finding__inspection__council",
        )
        .prefetch_related("contributors")
        .annotate(
            update_count=_count_of(ProgressUpdate.objects.filter(action=OuterRef("pk")), "action"),
            save_count=_count_of(history, "id"),
        ),
        pk=pk,
    )


def timeline(action: Action) -> QuerySet[ProgressUpdate]:
    """The action's updates, newest first, with their authors."""
    return action.updates.select_related("author").order_by("-created_at", "-id")


def percent_before_delivery(action: Action) -> int:
    """How complete the action was said to be before it was last marked delivered (0 to 99).

    What a manager sending it back starts from: delivered means 100%, and an action
    sent back is not finished.
    """
    delivered = (
        action.updates.filter(status=Status.DELIVERED)
        .exclude(previous_status=Status.DELIVERED)
        .order_by("-created_at", "-id")
        .values_list("previous_percent", flat=True)
        .first()
    )
    return min(99, delivered if delivered is not None else action.percent_complete)


def evidence_for_council(council: Council, update_pk: int) -> ProgressUpdate:
    """A progress update of the council's that has a file, or 404."""
    return get_object_or_404(
        ProgressUpdate.objects.for_council(council).exclude(evidence_file=""),
        pk=update_pk,
    )


def council_people(council: Council, *, also=()) -> QuerySet[User]:
    """The council's active members (who may own or contribute to its actions).

    `also` adds people by id whatever their membership, so that a form can still
    show an action's current owner after they have left.
    """
    condition = Q(memberships__council=council, is_active=True)
    if also:
        condition |= Q(pk__in=list(also))
    return User.objects.filter(condition).distinct().order_by("first_name", "last_name", "username")


# The columns an inspection's label needs (its title and date): not its letter's text.
_INSPECTION_LABEL = ("id", "council_id", "kind", "focus_theme", "visit_number", "start_date")


def council_owners(council: Council) -> QuerySet[User]:
    """Everyone a council's list can be filtered by: its members and its actions' owners.

    One list of ids (a UNION) rather than DISTINCT over a join: a third of the time.
    """
    members = Membership.objects.filter(council=council).order_by().values("user_id")
    owners = Action.objects.for_council(council).order_by().values("owner_id")
    return (
        User.objects.filter(pk__in=members.union(owners))
        .only("id", "first_name", "last_name", "username")
        .order_by("first_name", "last_name", "username")
    )


def council_inspections(council: Council) -> QuerySet[Inspection]:
    return (
        Inspection.objects.for_council(council)
        .only(*_INSPECTION_LABEL)
        .order_by("-start_date", "id")
    )


def council_findings(council: Council) -> QuerySet[Finding]:
    return (
        Finding.objects.for_council(council)
        .select_related("inspection")
        .only(
            "id",
            "position",
            "short_title",
            *(f"inspection__{name}" for name in _INSPECTION_LABEL),
        )
        .order_by("-inspection__start_date", "inspection_id", "position")
    )


def council_themes(council: Council) -> QuerySet[Theme]:
    """The themes the council's findings are grouped under."""
    used = Finding.objects.for_council(council).values("theme_id")
    return Theme.objects.filter(pk__in=used).order_by("name")
