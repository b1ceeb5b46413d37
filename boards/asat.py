"""The action plan as it stood at any moment, rebuilt from the timeline.

Every change to an action's status and percent complete is a dated ProgressUpdate
holding the values before and after, and every new due date is a
"due_date_revised" entry. So, for each of a council's actions, as at a moment:

- it existed if it had been created by then (its creation, or its first entry if
  that is earlier, as for a plan imported with its history);
- its status and percent are those of its latest entry by then; before its first
  entry, that entry's "previous" values; with no entries, the action's own;
- its due date is the original one, or the date of the latest revision by then
  (each revision entry holds its due dates before and after);
- its last update is the latest entry by then that counts as progress (every
  entry but a reassignment or a change of contributors, as in actions.services);
- its RAG and reason are actions.rag.assess(...) with a Clock for that moment.

Timeline.load() reads what this needs in three queries for a council, whatever
its size (findings, actions, and every entry of the council's timeline in one
ordered list); plan_as_at() then works in Python for as many moments as a page
needs. tests/boards/test_asat.py holds this to the live state: for random
timelines made through actions.services, the plan as at each moment equals the
actions as they were then, and the plan as at now equals the SQL roll-ups.
"""

import bisect
import datetime
from collections import Counter, defaultdict
from dataclasses import asdict, dataclass, field, fields
from types import SimpleNamespace

from django.utils import timezone

from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import RAG_SEVERITY, Clock, Rag, Status, assess, is_overdue
from actions.rollups import summarise
from councils.models import Council
from inspections.models import Finding

# Entries written through actions.services._record, which moves the action's
# last_progress_at; a reassignment or a change of contributors does not.
PROGRESS_KINDS = frozenset(
    {
        UpdateKind.PROGRESS,
        UpdateKind.SIGNED_OFF,
        UpdateKind.SENT_BACK,
        UpdateKind.DUE_DATE_REVISED,
        UpdateKind.CANCELLED,
        UpdateKind.REOPENED,
    }
)


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The last moment of a day in England."""
    midnight = timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )
    return midnight - datetime.timedelta(microseconds=1)


def moment_for(day: datetime.date, now: datetime.datetime | None = None) -> datetime.datetime:
    """The plan 'as at' a date: the end of that day, or now if the day is not over."""
    now = now or timezone.now()
    return min(end_of_day(day), now)


def clock_at(moment: datetime.datetime) -> Clock:
    return Clock(today=timezone.localdate(moment), now=moment)


def _half_up(total: int, count: int) -> int | None:
    """The average of whole percents, rounded half up (as SQL's ROUND does), or None."""
    if not count:
        return None
    return (2 * total + count) // (2 * count)


# --- What is loaded ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """One timeline entry, reduced to what the plan as at a moment needs."""

    created_at: datetime.datetime
    kind: str
    previous_status: str
    status: str
    previous_percent: int
    percent: int
    # For a due-date revision: the due date before and after (None if unreadable).
    revised_from: datetime.date | None = None
    revised_to: datetime.date | None = None


@dataclass(slots=True)
class ActionHistory:
    """An action as it is now, with its timeline, oldest entry first."""

    action: Action
    entries: list[Entry] = field(default_factory=list)
    times: list[datetime.datetime] = field(default_factory=list)

    @property
    def start(self) -> datetime.datetime:
        """When the action came into the plan."""
        action = self.action
        start = action.created_at
        if self.entries:
            start = min(start, self.entries[0].created_at)
        if not any(entry.kind in PROGRESS_KINDS for entry in self.entries):
            # Never changed since it was created: its last update is its creation
            # (an import dates it by the plan it came from).
            start = min(start, action.last_progress_at)
        return start


@dataclass
class Timeline:
    """A council's findings and actions with every timeline entry, loaded in three queries."""

    council: Council
    findings: list[Finding]
    histories: list[ActionHistory]

    @classmethod
    def load(cls, council: Council, finding: Finding | None = None) -> "Timeline":
        """The council's plan, or only one of its findings, with every timeline entry."""
        findings = Finding.objects.for_council(council)
        actions = Action.objects.for_council(council)
        updates = ProgressUpdate.objects.for_council(council)
        if finding is not None:
            findings = findings.filter(pk=finding.pk)
            actions = actions.filter(finding=finding)
            updates = updates.filter(action__finding=finding)
        findings = list(
            findings.select_related("inspection", "theme").order_by(
                "-inspection__start_date", "-inspection_id", "position"
            )
        )
        actions = (
            actions.select_related("owner")
            .only(
                "pk",
                "finding_id",
                "title",
                "owner__first_name",
                "owner__last_name",
                "owner__username",
                "due_date",
                "revised_due_date",
                "status",
                "percent_complete",
                "last_progress_at",
                "signed_off_at",
                "created_at",
            )
            .order_by("due_date", "pk")
        )
        histories = {action.pk: ActionHistory(action) for action in actions}
        rows = updates.order_by("action_id", "created_at", "id").values_list(
            "action_id",
            "created_at",
            "kind",
            "previous_status",
            "status",
            "previous_percent",
            "percent_complete",
            "previous_due_date",
            "new_due_date",
        )
        for action_id, created_at, kind, prev_status, status, prev_pct, pct, before, after in rows:
            history = histories.get(action_id)
            if history is None:  # pragma: no cover - an entry's council is its action's
                continue
            history.entries.append(
                Entry(
                    created_at=created_at,
                    kind=kind,
                    previous_status=prev_status,
                    status=status,
                    previous_percent=prev_pct,
                    percent=pct,
                    revised_from=before,
                    revised_to=after,
                )
            )
            history.times.append(created_at)
        return cls(council=council, findings=findings, histories=list(histories.values()))

    def plan_as_at(self, moment: datetime.datetime) -> "PlanAsAt":
        return plan_as_at(self, moment)


# --- The plan as at a moment -----------------------------------------------------------


@dataclass(frozen=True)
class ActionState:
    """One action as it stood at the moment: ready for a template or a snapshot."""

    pk: int
    finding_pk: int
    title: str
    owner: str
    status: str
    percent: int
    due_date: datetime.date
    revised_due_date: datetime.date | None
    # How many times its due date had been revised by then.
    revisions: int
    last_progress_at: datetime.datetime
    signed_off_at: datetime.datetime | None
    rag: str
    reason: str
    overdue: bool

    @property
    def effective_due(self) -> datetime.date:
        return self.revised_due_date or self.due_date

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def rag_label(self) -> str:
        return Rag(self.rag).label

    @property
    def is_live(self) -> bool:
        return self.status != Status.CANCELLED

    @property
    def is_open(self) -> bool:
        """Still to be delivered: not started, in progress or blocked."""
        return self.status in (Status.NOT_STARTED, Status.IN_PROGRESS, Status.BLOCKED)


def action_state(history: ActionHistory, moment: datetime.datetime) -> ActionState | None:
    """The action as it stood at `moment`, or None if it was not yet in the plan."""
    if history.start > moment:
        return None
    action = history.action
    entries = history.entries
    upto = bisect.bisect_right(history.times, moment)
    seen, later = entries[:upto], entries[upto:]

    if seen:
        status, percent = seen[-1].status, seen[-1].percent
    elif later:
        status, percent = later[0].previous_status, later[0].previous_percent
    else:
        status, percent = action.status, action.percent_complete

    revisions = [entry for entry in seen if entry.kind == UpdateKind.DUE_DATE_REVISED]
    later_revisions = [entry for entry in later if entry.kind == UpdateKind.DUE_DATE_REVISED]
    if revisions and revisions[-1].revised_to is not None:
        revised = revisions[-1].revised_to
    elif later_revisions and later_revisions[0].revised_from is not None:
        before = later_revisions[0].revised_from
        revised = None if before == action.due_date else before
    else:
        revised = action.revised_due_date

    progress = [entry for entry in seen if entry.kind in PROGRESS_KINDS]
    if progress:
        last_progress_at = progress[-1].created_at
    elif any(entry.kind in PROGRESS_KINDS for entry in later):
        last_progress_at = history.start
    else:
        last_progress_at = action.last_progress_at

    signed_off_at = None
    if status == Status.COMPLETE:
        sign_offs = [entry for entry in seen if entry.kind == UpdateKind.SIGNED_OFF]
        signed_off_at = sign_offs[-1].created_at if sign_offs else action.signed_off_at

    clock = clock_at(moment)
    assessment = assess(
        status=status,
        due_date=action.due_date,
        revised_due_date=revised,
        last_progress_at=last_progress_at,
        signed_off_at=signed_off_at,
        clock=clock,
    )
    owner = action.owner
    return ActionState(
        pk=action.pk,
        finding_pk=action.finding_id,
        title=action.title,
        owner=owner.get_full_name() or owner.username,
        status=status,
        percent=percent,
        due_date=action.due_date,
        revised_due_date=revised,
        revisions=len(revisions),
        last_progress_at=last_progress_at,
        signed_off_at=signed_off_at,
        rag=assessment.rag.value,
        reason=assessment.reason,
        overdue=is_overdue(
            status=status,
            due_date=action.due_date,
            revised_due_date=revised,
            today=clock.today,
        ),
    )


@dataclass(frozen=True)
class Totals:
    """Counts across a set of actions: what a summary line or a trend point shows."""

    # Live actions (cancelled ones count towards nothing).
    live: int
    progress: int | None
    red: int
    amber: int
    green: int
    blue: int
    cancelled: int
    overdue: int
    delivered: int
    # Live actions with no update for 30 days (as the RAG rule counts them).
    stale: int

    def count(self, rag: str) -> int:
        return getattr(self, Rag(rag).value)

    @property
    def by_rag(self) -> list[tuple[Rag, int]]:
        return [(rag, self.count(rag)) for rag in RAG_SEVERITY]

    @property
    def measures(self) -> list["Measure"]:
        return self.measures_against(None)

    def measures_against(self, before: "Totals | None") -> list["Measure"]:
        """The headline rows of a summary, each with its value before when there is one."""

        def row(label, name, *, rag="", percent=False):
            return Measure(
                label=label,
                now=getattr(self, name),
                before=getattr(before, name) if before else None,
                rag=rag,
                percent=percent,
            )

        return [
            row("Progress (average percent complete)", "progress", percent=True),
            row("Live actions", "live"),
            *(row(rag.label, rag.value, rag=rag.value) for rag in RAG_SEVERITY),
            row("Overdue", "overdue"),
            row("Delivered, awaiting sign-off", "delivered"),
            row("No update for 30 days", "stale"),
        ]


@dataclass(frozen=True)
class Measure:
    label: str
    now: int | None
    before: int | None
    rag: str = ""
    percent: bool = False

    @property
    def change(self) -> int | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def totals_of(states: list[ActionState], clock: Clock) -> Totals:
    live = [state for state in states if state.is_live]
    rags = Counter(state.rag for state in live)
    return Totals(
        live=len(live),
        progress=_half_up(sum(state.percent for state in live), len(live)),
        red=rags[Rag.RED],
        amber=rags[Rag.AMBER],
        green=rags[Rag.GREEN],
        blue=rags[Rag.BLUE],
        cancelled=len(states) - len(live),
        overdue=sum(1 for state in live if state.overdue),
        delivered=sum(1 for state in live if state.status == Status.DELIVERED),
        stale=sum(
            1 for state in live if state.is_open and state.last_progress_at < clock.stale_before
        ),
    )


@dataclass(frozen=True)
class FindingState:
    """A finding's progress and RAG as at the moment (its live actions then)."""

    pk: int
    inspection_pk: int
    inspection_title: str
    position: int
    short_title: str
    theme: str
    is_priority_action: bool
    action_count: int
    progress: int | None
    red: int
    amber: int
    green: int
    blue: int
    worst: str | None
    reason: str

    @property
    def worst_label(self) -> str:
        return Rag(self.worst).label if self.worst else ""


def finding_state(finding: Finding, states: list[ActionState], clock: Clock) -> FindingState:
    live = [state for state in states if state.is_live]
    rags = Counter(state.rag for state in live)
    overdue_dues = [state.effective_due for state in live if state.overdue]
    # The same wording as the finding and inspection pages: actions.rollups.summarise.
    summary = summarise(
        SimpleNamespace(
            action_count=len(live),
            complete_count=rags[Rag.BLUE],
            progress=_half_up(sum(state.percent for state in live), len(live)),
            earliest_overdue=min(overdue_dues) if overdue_dues else None,
            **{f"{rag.value}_count": rags[rag] for rag in RAG_SEVERITY},
        ),
        clock,
    )
    return FindingState(
        pk=finding.pk,
        inspection_pk=finding.inspection_id,
        inspection_title=finding.inspection.title,
        position=finding.position,
        short_title=finding.short_title,
        theme=finding.theme.name if finding.theme else "",
        is_priority_action=finding.is_priority_action,
        action_count=summary.action_count,
        progress=summary.progress,
        red=summary.counts[Rag.RED],
        amber=summary.counts[Rag.AMBER],
        green=summary.counts[Rag.GREEN],
        blue=summary.counts[Rag.BLUE],
        worst=summary.worst.value if summary.worst else None,
        reason=summary.reason,
    )


@dataclass(frozen=True)
class PlanAsAt:
    """The council's plan at a moment: every action and finding, and the totals."""

    council_pk: int
    moment: datetime.datetime
    today: datetime.date
    actions: list[ActionState]
    findings: list[FindingState]
    totals: Totals

    @property
    def clock(self) -> Clock:
        return clock_at(self.moment)

    def actions_by_pk(self) -> dict[int, ActionState]:
        return {state.pk: state for state in self.actions}

    def actions_of(self, finding_pk: int) -> list[ActionState]:
        return [state for state in self.actions if state.finding_pk == finding_pk]

    def to_json(self) -> dict:
        """Plain JSON for a BoardSnapshot (dates as ISO strings)."""
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "PlanAsAt":
        return cls(
            council_pk=data["council_pk"],
            moment=datetime.datetime.fromisoformat(data["moment"]),
            today=datetime.date.fromisoformat(data["today"]),
            actions=[_revive(ActionState, row) for row in data["actions"]],
            findings=[_revive(FindingState, row) for row in data["findings"]],
            totals=_revive(Totals, data["totals"]),
        )


def plan_as_at(timeline: Timeline, moment: datetime.datetime) -> PlanAsAt:
    """The plan as it stood at `moment`, from a loaded Timeline (no queries)."""
    clock = clock_at(moment)
    states = [
        state
        for history in timeline.histories
        if (state := action_state(history, moment)) is not None
    ]
    # Findings in the plan's order; their actions by due date then age, as loaded.
    by_finding = defaultdict(list)
    for state in states:
        by_finding[state.finding_pk].append(state)
    findings = [
        finding_state(finding, by_finding.get(finding.pk, []), clock)
        for finding in timeline.findings
        if finding.created_at <= moment or finding.pk in by_finding
    ]
    order = {finding.pk: index for index, finding in enumerate(findings)}
    states.sort(key=lambda state: order.get(state.finding_pk, len(order)))
    return PlanAsAt(
        council_pk=timeline.council.pk,
        moment=moment,
        today=clock.today,
        actions=states,
        findings=findings,
        totals=totals_of(states, clock),
    )


def council_plan_as_at(council: Council, moment: datetime.datetime) -> PlanAsAt:
    """The council's plan as at `moment`, in three queries."""
    return Timeline.load(council).plan_as_at(moment)


# --- JSON --------------------------------------------------------------------------------


def _jsonable(value):
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()
    return value


def _revive(cls, data: dict):
    """A dataclass from its asdict() JSON, turning ISO strings back into dates."""
    values = {}
    for spec in fields(cls):
        value = data.get(spec.name)
        kind = str(spec.type)  # e.g. "<class 'datetime.date'>", "datetime.date | None"
        if isinstance(value, str) and "datetime.datetime" in kind:
            value = datetime.datetime.fromisoformat(value)
        elif isinstance(value, str) and "datetime.date" in kind:
            value = datetime.date.fromisoformat(value)
        values[spec.name] = value
    return cls(**values)
