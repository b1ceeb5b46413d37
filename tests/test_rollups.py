"""Progress and RAG roll-ups for findings, inspections and councils, in one query."""

import datetime

import pytest

from actions.rag import Rag, Status
from actions.rollups import councils_with_progress, summarise
from councils.models import Council
from inspections.models import Finding, Inspection

from .factories import ActionFactory, CouncilFactory, FindingFactory, InspectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def on_track(clock, finding, percent, **fields):
    return ActionFactory(
        finding=finding,
        status=Status.IN_PROGRESS,
        percent_complete=percent,
        due_date=clock.today + days(60),
        last_progress_at=clock.now,
        **fields,
    )


def complete(clock, finding):
    return ActionFactory(
        finding=finding,
        status=Status.COMPLETE,
        percent_complete=100,
        signed_off_by=UserFactory(),
        signed_off_at=clock.now - days(1),
    )


# --- Average progress ---------------------------------------------------------------------------


def test_finding_progress_is_the_average_percent_of_its_actions(clock):
    finding = FindingFactory()
    on_track(clock, finding, 20)
    on_track(clock, finding, 50)
    on_track(clock, finding, 80)
    annotated = Finding.objects.with_progress(clock).get(pk=finding.pk)
    assert summarise(annotated, clock).progress == 50
    assert annotated.action_count == 3


def test_progress_is_rounded_to_a_whole_percent(clock):
    finding = FindingFactory()
    on_track(clock, finding, 10)
    on_track(clock, finding, 20)
    on_track(clock, finding, 20)
    # 50 / 3 = 16.67
    assert summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock).progress == 17


def test_cancelled_actions_count_towards_nothing(clock):
    finding = FindingFactory()
    on_track(clock, finding, 60)
    ActionFactory(finding=finding, status=Status.CANCELLED, percent_complete=0)
    annotated = Finding.objects.with_progress(clock).get(pk=finding.pk)
    summary = summarise(annotated, clock)
    assert (summary.progress, summary.action_count) == (60, 1)
    assert sum(summary.counts.values()) == 1


def test_finding_without_actions_has_no_progress(clock):
    finding = FindingFactory()
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.progress is None
    assert summary.action_count == 0
    assert summary.worst is None
    assert summary.label == "no actions yet"


def test_finding_with_only_cancelled_actions_has_no_progress(clock):
    finding = FindingFactory()
    ActionFactory(finding=finding, status=Status.CANCELLED, percent_complete=40)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert (summary.progress, summary.action_count, summary.worst) == (None, 0, None)


def test_inspection_progress_averages_actions_across_its_findings(clock):
    inspection = InspectionFactory()
    first = FindingFactory(inspection=inspection)
    second = FindingFactory(inspection=inspection)
    on_track(clock, first, 100)
    on_track(clock, first, 0)
    on_track(clock, second, 50)
    FindingFactory(inspection=inspection)  # no actions: adds nothing
    annotated = Inspection.objects.with_progress(clock).get(pk=inspection.pk)
    summary = summarise(annotated, clock)
    assert (summary.progress, summary.action_count) == (50, 3)


def test_council_progress_averages_actions_across_its_inspections(clock):
    council = CouncilFactory()
    on_track(clock, FindingFactory(inspection__council=council), 30)
    on_track(
        clock,
        FindingFactory(
            inspection=InspectionFactory(
                council=council, focused_visit=True, start_date=datetime.date(2025, 7, 8)
            )
        ),
        90,
    )
    on_track(clock, FindingFactory(), 0)  # another council's action
    annotated = councils_with_progress(Council.objects.all(), clock).get(pk=council.pk)
    summary = summarise(annotated, clock)
    assert (summary.progress, summary.action_count) == (60, 2)


def test_council_without_inspections_has_no_progress(clock):
    council = CouncilFactory()
    summary = summarise(
        councils_with_progress(Council.objects.all(), clock).get(pk=council.pk), clock
    )
    assert (summary.progress, summary.action_count, summary.worst) == (None, 0, None)


def test_each_finding_in_a_list_gets_its_own_progress(clock):
    busy, idle = FindingFactory(), FindingFactory()
    on_track(clock, busy, 40)
    progress = {
        finding.pk: summarise(finding, clock).progress
        for finding in Finding.objects.filter(pk__in=[busy.pk, idle.pk]).with_progress(clock)
    }
    assert progress == {busy.pk: 40, idle.pk: None}


# --- RAG counts and the worst colour ------------------------------------------------------------


def test_rag_counts_and_complete_count(clock):
    finding = FindingFactory()
    ActionFactory(finding=finding, due_date=clock.today - days(12))  # red
    ActionFactory(finding=finding, status=Status.BLOCKED, due_date=clock.today + days(60))  # red
    ActionFactory(finding=finding, due_date=clock.today + days(5))  # amber
    on_track(clock, finding, 10)  # green
    complete(clock, finding)  # blue
    ActionFactory(finding=finding, status=Status.CANCELLED)  # not rated
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.counts == {Rag.RED: 2, Rag.AMBER: 1, Rag.GREEN: 1, Rag.BLUE: 1}
    assert (summary.action_count, summary.complete_count) == (5, 1)


def test_worst_colour_is_red_and_says_how_late_the_worst_is(clock):
    finding = FindingFactory()
    ActionFactory(finding=finding, due_date=clock.today - days(3))
    ActionFactory(finding=finding, due_date=clock.today - days(12))
    on_track(clock, finding, 10)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.worst == Rag.RED
    assert summary.label == "Red: 2 of 3 actions red, the worst is 12 days overdue"


def test_worst_overdue_uses_the_revised_due_date(clock):
    finding = FindingFactory()
    ActionFactory(
        finding=finding, due_date=clock.today - days(40), revised_due_date=clock.today - days(1)
    )
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.reason == "1 of 1 actions red, the worst is 1 day overdue"


def test_blocked_but_not_late_is_red_without_a_lateness(clock):
    finding = FindingFactory()
    ActionFactory(finding=finding, status=Status.BLOCKED, due_date=clock.today + days(60))
    on_track(clock, finding, 10)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.label == "Red: 1 of 2 actions red"


def test_worst_colour_is_amber_when_nothing_is_red(clock):
    finding = FindingFactory()
    ActionFactory(finding=finding, status=Status.DELIVERED, percent_complete=100)
    on_track(clock, finding, 10)
    complete(clock, finding)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.label == "Amber: 1 of 3 actions amber"


def test_worst_colour_is_green_when_all_live_actions_are_on_track(clock):
    finding = FindingFactory()
    on_track(clock, finding, 10)
    on_track(clock, finding, 20)
    complete(clock, finding)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.label == "Green: 2 of 3 actions on track"


def test_blue_when_every_live_action_is_complete(clock):
    finding = FindingFactory()
    complete(clock, finding)
    complete(clock, finding)
    ActionFactory(finding=finding, status=Status.CANCELLED)
    summary = summarise(Finding.objects.with_progress(clock).get(pk=finding.pk), clock)
    assert summary.label == "Blue: all 2 actions complete"
    assert summary.progress == 100


def test_inspection_with_worst_grade_and_progress_together(clock):
    inspection = InspectionFactory()
    inspection.judgements.create(area="impact_of_leaders", grade=2)
    inspection.judgements.create(area="help_and_protection", grade=4)
    finding = FindingFactory(inspection=inspection)
    on_track(clock, finding, 30)
    on_track(clock, finding, 50)
    annotated = Inspection.objects.with_progress(clock).with_worst_grade().get(pk=inspection.pk)
    # The grade subquery must not multiply the rows that the progress counts.
    assert annotated.worst_grade == 4
    assert annotated.action_count == 2
    assert summarise(annotated, clock).progress == 40


# --- One query for a whole list -----------------------------------------------------------------


def test_annotating_a_list_of_findings_takes_one_query(clock, django_assert_num_queries):
    for n in range(6):
        finding = FindingFactory()
        on_track(clock, finding, 10 * n)
        ActionFactory(finding=finding, due_date=clock.today - days(n + 1))
        complete(clock, finding)
    with django_assert_num_queries(1):
        summaries = [
            summarise(finding, clock)
            for finding in Finding.objects.with_progress(clock).select_related(
                "inspection__council", "theme"
            )
        ]
        labels = [summary.label for summary in summaries]
    assert len(labels) == 6
    assert all(label.startswith("Red: 1 of 3 actions red") for label in labels), labels


def test_annotating_a_list_of_councils_takes_one_query(clock, django_assert_num_queries):
    for _ in range(3):
        on_track(clock, FindingFactory(), 50)
    with django_assert_num_queries(1):
        summaries = [
            summarise(council, clock)
            for council in councils_with_progress(Council.objects.all(), clock)
        ]
    assert len(summaries) == 158 + 3  # the 153 councils, 5 abolished ones and 3 made here
    assert sum(summary.action_count for summary in summaries) == 3


def test_attach_progress_gives_each_loaded_row_the_annotations_of_with_progress(clock):
    from actions.rollups import attach_progress

    busy, empty = FindingFactory(), FindingFactory()
    ActionFactory(finding=busy, status=Status.IN_PROGRESS, percent_complete=30)
    ActionFactory(finding=busy, status=Status.DELIVERED, percent_complete=100)
    rows = attach_progress([busy, empty], clock)
    annotated = {f.pk: f for f in Finding.objects.with_progress(clock)}
    for row in rows:
        assert summarise(row, clock) == summarise(annotated[row.pk], clock)
    assert (busy.action_count, busy.progress, empty.action_count) == (2, 65, 0)


def test_attach_progress_copes_with_a_row_deleted_since_it_was_loaded(clock):
    """A finding deleted between loading it and counting (another admin's delete; only a
    finding without actions can be): nothing to count, rather than a server error."""
    from actions.rollups import attach_progress

    finding = FindingFactory()
    Finding.objects.filter(pk=finding.pk).delete()
    (row,) = attach_progress([finding], clock)
    summary = summarise(row, clock)
    assert (summary.action_count, summary.progress, summary.worst) == (0, None, None)
