"""Reads for the board pages: a fixed number of queries, whatever the plan's size.

A frozen meeting reads its figures from its snapshot; any other is rebuilt from
the timeline (boards.asat) as at the end of the day it was held, or now if that
day is not over.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.shortcuts import get_object_or_404

from actions.rag import Rag, Status
from councils.models import Council
from inspections.models import Finding, Inspection, Judgement, Theme
from inspections.selectors import judgements_in_order

from .asat import ActionState, FindingState, PlanAsAt, Timeline, moment_for
from .changes import Changes, changes_between
from .models import BoardMeeting
from .trends import Trend, council_trend, plan_trends


def meetings_for(council: Council):
    return BoardMeeting.objects.for_council(council).select_related("created_by", "frozen_by")


def meeting_for_council(council: Council, pk: int) -> BoardMeeting:
    """One of the council's meetings with its snapshot, or 404 (another council's too)."""
    return get_object_or_404(
        BoardMeeting.objects.for_council(council).select_related("snapshot", "council"), pk=pk
    )


def previous_meeting(meeting: BoardMeeting) -> BoardMeeting | None:
    return (
        BoardMeeting.objects.before(meeting)
        .select_related("snapshot")
        .order_by("-held_on", "-pk")
        .first()
    )


def earlier_meetings(meeting: BoardMeeting, limit: int = 5) -> list[BoardMeeting]:
    """The meetings before this one, latest first: what the changes page offers to compare."""
    return list(BoardMeeting.objects.before(meeting).order_by("-held_on", "-pk")[:limit])


def meeting_label(meeting: BoardMeeting) -> str:
    return f"the {meeting.board} on {meeting.held_on:%-d %B %Y}"


@dataclass
class MeetingFigures:
    """The plan a meeting reads, and what changed since the meeting before (or a date)."""

    meeting: BoardMeeting
    plan: PlanAsAt
    # The meeting compared with, when the comparison is with a meeting.
    previous: BoardMeeting | None
    changes: Changes | None
    from_snapshot: bool


def _frozen_plan(meeting: BoardMeeting | None) -> PlanAsAt | None:
    if meeting is None or not meeting.is_frozen:
        return None
    return PlanAsAt.from_json(meeting.snapshot.figures)


def meeting_figures(
    meeting: BoardMeeting,
    *,
    since: datetime.date | None = None,
    now: datetime.datetime | None = None,
    timeline: Timeline | None = None,
) -> MeetingFigures:
    """The meeting's plan and changes: from its snapshot if frozen, else rebuilt.

    Without `since`, changes are counted from the meeting before (its own snapshot
    when it was frozen); with it, from the end of that day.
    """
    previous = None if since else previous_meeting(meeting)
    if meeting.is_frozen and since is None:
        snapshot = meeting.snapshot
        plan = PlanAsAt.from_json(snapshot.figures)
        changes = Changes.from_json(snapshot.changes) if snapshot.changes else None
        return MeetingFigures(meeting, plan, previous, changes, from_snapshot=True)

    timeline = timeline or Timeline.load(meeting.council)
    plan = _frozen_plan(meeting) or timeline.plan_as_at(moment_for(meeting.held_on, now))
    if since is not None:
        before = timeline.plan_as_at(moment_for(since, now))
        label = f"{since:%-d %B %Y}"
    elif previous is not None:
        before = _frozen_plan(previous) or timeline.plan_as_at(moment_for(previous.held_on, now))
        label = meeting_label(previous)
    else:
        before = None
    changes = changes_between(before, plan, label) if before is not None else None
    return MeetingFigures(meeting, plan, previous, changes, from_snapshot=meeting.is_frozen)


# --- The board pack -------------------------------------------------------------------------

# The pack lists at most this many rows of each exception and change (the worst first):
# every action is in its appendix, and the full lists are on the "What changed" page.
PACK_LIST_ROWS = 20


@dataclass
class FindingSection:
    finding: FindingState
    actions: list[ActionState]


@dataclass
class BoardPack:
    figures: MeetingFigures
    graded_inspection: Inspection | None
    grades: list[Judgement]
    # The inspections whose findings are in the plan, newest first, with their deadlines.
    inspections: list[Inspection]
    # The plan month by month up to the meeting (or yesterday, for a meeting not yet over).
    trend: Trend

    # For the templates' slice filter: the rows each list shows.
    list_cut = f":{PACK_LIST_ROWS}"
    list_rows = PACK_LIST_ROWS

    @property
    def meeting(self) -> BoardMeeting:
        return self.figures.meeting

    @property
    def plan(self) -> PlanAsAt:
        return self.figures.plan

    @cached_property
    def sections(self) -> list[FindingSection]:
        by_finding: dict[int, list[ActionState]] = {}
        for state in self.plan.actions:
            by_finding.setdefault(state.finding_pk, []).append(state)
        return [
            FindingSection(finding, by_finding.get(finding.pk, []))
            for finding in self.plan.findings
        ]

    @cached_property
    def finding_labels(self) -> dict[int, str]:
        return {f.pk: f"{f.position}. {f.short_title}" for f in self.plan.findings}

    def _rows(self, keep, order) -> list[tuple[str, ActionState]]:
        labels = self.finding_labels
        chosen = sorted((s for s in self.plan.actions if keep(s)), key=order)
        return [(labels.get(s.finding_pk, ""), s) for s in chosen]

    @cached_property
    def red_actions(self):
        """Most overdue first."""
        return self._rows(lambda s: s.rag == Rag.RED, lambda s: (s.effective_due, s.pk))

    @cached_property
    def revised_more_than_once(self):
        return self._rows(lambda s: s.is_live and s.revisions > 1, lambda s: (-s.revisions, s.pk))

    @cached_property
    def not_updated(self):
        """Open actions with no update for 30 days (the RAG rule's threshold), oldest first."""
        stale_before = self.plan.clock.stale_before
        return self._rows(
            lambda s: s.is_open and s.last_progress_at < stale_before,
            lambda s: (s.last_progress_at, s.pk),
        )

    @cached_property
    def awaiting_sign_off(self):
        return self._rows(
            lambda s: s.status == Status.DELIVERED, lambda s: (s.last_progress_at, s.pk)
        )


def board_pack(meeting: BoardMeeting, *, now: datetime.datetime | None = None) -> BoardPack:
    # A meeting not yet frozen is rebuilt from the timeline, and so are its trend's days
    # without a snapshot: one read of the timeline serves both.
    timeline = None if meeting.is_frozen else Timeline.load(meeting.council)
    figures = meeting_figures(meeting, now=now, timeline=timeline)
    inspection_pks = {finding.inspection_pk for finding in figures.plan.findings}
    inspections = [
        inspection
        for inspection in Inspection.objects.for_council(meeting.council)
        .with_priority_flag()
        .order_by("-start_date", "-pk")
        if inspection.pk in inspection_pks
    ]
    graded = (
        Inspection.objects.for_council(meeting.council)
        .graded()
        .filter(start_date__lte=meeting.held_on)
        .order_by("-start_date", "-pk")
        .prefetch_related("judgements")
        .first()
    )
    grades = judgements_in_order(graded) if graded is not None else []
    frozen_trend = meeting.snapshot.trend if meeting.is_frozen else None
    return BoardPack(
        figures=figures,
        graded_inspection=graded,
        grades=grades,
        inspections=inspections,
        trend=Trend.from_json(frozen_trend)
        if frozen_trend is not None
        else council_trend(meeting.council, now, last=meeting.held_on, timeline=timeline),
    )


# --- Trends ---------------------------------------------------------------------------------


def themes_of_council(council: Council) -> list[Theme]:
    """The themes of the council's findings, by name."""
    return list(Theme.objects.filter(findings__inspection__council=council).distinct())


def findings_for_trends(council: Council) -> list[Finding]:
    return list(
        Finding.objects.for_council(council)
        .select_related("inspection")
        .order_by("-inspection__start_date", "-inspection_id", "position")
    )


@dataclass
class PlanTrends:
    council: Trend
    themes: list[Trend]


def council_trends(council: Council, now: datetime.datetime | None = None) -> PlanTrends:
    """The council's trend and each of its themes', from one read of the snapshots."""
    return PlanTrends(*plan_trends(council, themes_of_council(council), now))
