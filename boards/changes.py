"""What changed in the plan between two moments: what a board asks first.

Worked out from two PlanAsAt (boards.asat), each rebuilt from the timeline or read
from a frozen meeting's snapshot, so the comparison costs no query of its own.
"""

import datetime
from collections import defaultdict
from dataclasses import asdict, dataclass

from actions.rag import RAG_SEVERITY, Rag, Status

from .asat import ActionState, FindingState, PlanAsAt, Totals, _jsonable, _revive

# How many findings "moved most" lists.
FINDING_MOVES_SHOWN = 5
_SEVERITY = {rag.value: index for index, rag in enumerate((*RAG_SEVERITY, Rag.NOT_RATED))}


@dataclass(frozen=True)
class ActionChange:
    """One action, before and after: enough for any of the lists below."""

    pk: int
    title: str
    finding: str
    owner: str
    before_status: str | None
    after_status: str
    before_rag: str | None
    before_reason: str
    after_rag: str
    after_reason: str
    before_due: datetime.date | None
    after_due: datetime.date
    # How many times its due date has been revised in all, and within the period.
    revisions: int
    revisions_in_period: int

    @property
    def after_status_label(self) -> str:
        return Status(self.after_status).label


@dataclass(frozen=True)
class FindingMove:
    pk: int
    inspection_title: str
    position: int
    short_title: str
    before: int | None
    after: int | None
    moved: int


@dataclass(frozen=True)
class QuietOwner:
    """Someone whose open actions have had no update in the period."""

    owner: str
    open_actions: int
    last_update: datetime.datetime


@dataclass(frozen=True)
class RagDelta:
    rag: str
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    @property
    def label(self) -> str:
        return Rag(self.rag).label


@dataclass(frozen=True)
class Changes:
    since: datetime.datetime
    until: datetime.datetime
    # How the page names the start of the period, e.g. "the board on 5 March 2026".
    since_label: str
    before: Totals
    after: Totals
    signed_off: list[ActionChange]
    delivered: list[ActionChange]
    newly_overdue: list[ActionChange]
    rag_changes: list[ActionChange]
    revised: list[ActionChange]
    added: list[ActionChange]
    cancelled: list[ActionChange]
    finding_moves: list[FindingMove]
    quiet_owners: list[QuietOwner]

    @property
    def measures(self):
        return self.after.measures_against(self.before)

    @property
    def rag_deltas(self) -> list[RagDelta]:
        return [
            RagDelta(rag.value, self.before.count(rag), self.after.count(rag))
            for rag in RAG_SEVERITY
        ]

    @property
    def progress_change(self) -> int | None:
        if self.before.progress is None or self.after.progress is None:
            return None
        return self.after.progress - self.before.progress

    @property
    def overdue_change(self) -> int:
        return self.after.overdue - self.before.overdue

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.signed_off,
                self.delivered,
                self.newly_overdue,
                self.rag_changes,
                self.revised,
                self.added,
                self.cancelled,
                self.finding_moves,
            )
        )

    def to_json(self) -> dict:
        return _jsonable(asdict(self))

    @classmethod
    def from_json(cls, data: dict) -> "Changes":
        lists = (
            "signed_off",
            "delivered",
            "newly_overdue",
            "rag_changes",
            "revised",
            "added",
            "cancelled",
        )
        return cls(
            since=datetime.datetime.fromisoformat(data["since"]),
            until=datetime.datetime.fromisoformat(data["until"]),
            since_label=data["since_label"],
            before=_revive(Totals, data["before"]),
            after=_revive(Totals, data["after"]),
            **{name: [_revive(ActionChange, row) for row in data[name]] for name in lists},
            finding_moves=[_revive(FindingMove, row) for row in data["finding_moves"]],
            quiet_owners=[_revive(QuietOwner, row) for row in data["quiet_owners"]],
        )


def _finding_label(finding: FindingState | None) -> str:
    return f"{finding.position}. {finding.short_title}" if finding else ""


def _change(
    before: ActionState | None, after: ActionState, finding: FindingState | None
) -> ActionChange:
    return ActionChange(
        pk=after.pk,
        title=after.title,
        finding=_finding_label(finding),
        owner=after.owner,
        before_status=before.status if before else None,
        after_status=after.status,
        before_rag=before.rag if before else None,
        before_reason=before.reason if before else "",
        after_rag=after.rag,
        after_reason=after.reason,
        before_due=before.effective_due if before else None,
        after_due=after.effective_due,
        revisions=after.revisions,
        revisions_in_period=after.revisions - (before.revisions if before else 0),
    )


def changes_between(before: PlanAsAt, after: PlanAsAt, since_label: str) -> Changes:
    """What changed from the plan `before` to the plan `after` (no queries)."""
    earlier = before.actions_by_pk()
    findings = {finding.pk: finding for finding in after.findings}
    lists = defaultdict(list)
    for state in after.actions:
        old = earlier.get(state.pk)
        change = _change(old, state, findings.get(state.finding_pk))
        if old is None:
            lists["added"].append(change)
        if state.status == Status.COMPLETE and (old is None or old.status != Status.COMPLETE):
            lists["signed_off"].append(change)
        if state.status == Status.DELIVERED and (old is None or old.status != Status.DELIVERED):
            lists["delivered"].append(change)
        if state.status == Status.CANCELLED:
            if old is None or old.status != Status.CANCELLED:
                lists["cancelled"].append(change)
            continue
        if state.overdue and not (old and old.overdue):
            lists["newly_overdue"].append(change)
        if old is not None and old.rag != state.rag:
            lists["rag_changes"].append(change)
        if change.revisions_in_period > 0:
            lists["revised"].append(change)
    lists["rag_changes"].sort(key=lambda c: (_SEVERITY[c.after_rag], c.finding, c.title))
    lists["revised"].sort(key=lambda c: (-c.revisions, c.finding, c.title))

    old_findings = {finding.pk: finding for finding in before.findings}
    moves = []
    for finding in after.findings:
        old = old_findings.get(finding.pk)
        was = old.progress if old else None
        moved = (finding.progress or 0) - (was or 0)
        if moved:
            moves.append(
                FindingMove(
                    pk=finding.pk,
                    inspection_title=finding.inspection_title,
                    position=finding.position,
                    short_title=finding.short_title,
                    before=was,
                    after=finding.progress,
                    moved=moved,
                )
            )
    moves.sort(key=lambda move: (-abs(move.moved), move.position))

    # Open actions with no update since the start of the period, by owner.
    quiet = defaultdict(list)
    for state in after.actions:
        if state.is_open and state.last_progress_at < before.moment:
            quiet[state.owner].append(state.last_progress_at)
    quiet_owners = sorted(
        (QuietOwner(owner, len(times), max(times)) for owner, times in quiet.items()),
        key=lambda q: (-q.open_actions, q.last_update, q.owner),
    )
    return Changes(
        since=before.moment,
        until=after.moment,
        since_label=since_label,
        before=before.totals,
        after=after.totals,
        signed_off=lists["signed_off"],
        delivered=lists["delivered"],
        newly_overdue=lists["newly_overdue"],
        rag_changes=lists["rag_changes"],
        revised=lists["revised"],
        added=lists["added"],
        cancelled=lists["cancelled"],
        finding_moves=moves[:FINDING_MOVES_SHOWN],
        quiet_owners=quiet_owners,
    )
