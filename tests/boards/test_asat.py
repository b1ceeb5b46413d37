"""The plan as at a date, rebuilt from the timeline: hand-worked examples, and a property test
holding the rebuild to the live actions (and to the SQL roll-ups) for random timelines."""

import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from actions.models import Action, ProgressUpdate
from actions.rag import RAG_SEVERITY, Rag, Status
from boards.asat import (
    Timeline,
    clock_at,
    council_plan_as_at,
    end_of_day,
    moment_for,
)
from councils.models import Role
from inspections.models import Finding
from tests.factories import (
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    MembershipFactory,
    UserFactory,
)

from .conftest import T0, PlanWriter

D = datetime.date


def state_on(council, day, pk):
    plan = council_plan_as_at(council, end_of_day(day))
    return plan.actions_by_pk().get(pk)


# --- Hand-worked examples ---------------------------------------------------------------------


@pytest.mark.django_db
def test_one_action_through_its_life(writer, council):
    action = writer.create(T0, due=D(2025, 3, 1))
    writer.progress(action, T0.replace(day=20), status="in_progress", percent=30)
    writer.revise(action, T0.replace(month=2, day=20), D(2025, 4, 1))
    writer.deliver(action, T0.replace(month=3, day=25))
    writer.sign_off(action, T0.replace(month=4, day=3))

    assert state_on(council, D(2025, 1, 5), action.pk) is None, "not yet in the plan"

    before = state_on(council, D(2025, 1, 10), action.pk)
    assert (before.status, before.percent, before.rag) == ("not_started", 0, "green")
    assert before.reason == "on track, due 1 March 2025"

    # 30 days and more since the update of 20 January, and due within 14 days.
    slipping = state_on(council, D(2025, 2, 19), action.pk)
    assert (slipping.status, slipping.percent) == ("in_progress", 30)
    assert f"{slipping.rag_label}: {slipping.reason}" == (
        "Amber: due in 10 days and no update for 30 days"
    )
    assert slipping.revisions == 0 and slipping.effective_due == D(2025, 3, 1)

    revised = state_on(council, D(2025, 3, 2), action.pk)
    assert revised.effective_due == D(2025, 4, 1) and revised.due_date == D(2025, 3, 1)
    assert revised.revisions == 1
    assert (revised.rag, revised.reason) == ("green", "on track, due 1 April 2025")
    assert not revised.overdue, "the revised date counts, as on the live pages"

    delivered = state_on(council, D(2025, 3, 26), action.pk)
    assert (delivered.rag, delivered.reason) == ("amber", "delivered, awaiting sign-off")

    done = state_on(council, D(2025, 4, 10), action.pk)
    assert (done.status, done.percent, done.rag) == ("complete", 100, "blue")
    assert done.reason == "complete, signed off on 3 April 2025"


@pytest.mark.django_db
def test_overdue_as_at_a_date_and_the_finding_and_totals(writer, council):
    late = writer.create(T0, due=D(2025, 2, 1), title="Late")
    on_time = writer.create(T0, due=D(2025, 6, 1), title="On time")
    writer.progress(on_time, T0.replace(day=28), percent=40)
    writer.progress(late, T0.replace(month=2, day=10), percent=20)

    plan = council_plan_as_at(council, end_of_day(D(2025, 2, 3)))
    states = plan.actions_by_pk()
    assert (states[late.pk].rag, states[late.pk].reason) == ("red", "2 days overdue")
    assert states[late.pk].overdue and states[late.pk].percent == 0
    assert states[on_time.pk].percent == 40
    assert plan.totals.red == 1 and plan.totals.green == 1 and plan.totals.overdue == 1
    assert plan.totals.progress == 20, "(0 + 40) / 2"
    [finding] = plan.findings
    assert finding.progress == 20 and finding.worst == "red"
    assert finding.reason == "1 of 2 actions red, the worst is 2 days overdue"


@pytest.mark.django_db
def test_cancelled_and_reopened(writer, council):
    action = writer.create(T0, due=D(2025, 6, 1))
    writer.cancel(action, T0.replace(month=2))
    writer.reopen(action, T0.replace(month=3))
    assert state_on(council, D(2025, 2, 15), action.pk).rag == "not_rated"
    assert council_plan_as_at(council, end_of_day(D(2025, 2, 15))).totals.live == 0
    assert state_on(council, D(2025, 3, 15), action.pk).status == "in_progress"


@pytest.mark.django_db
def test_a_reassignment_is_not_an_update(writer, council, other_staff):
    action = writer.create(T0, due=D(2025, 9, 1))
    writer.reassign(action, T0.replace(month=2, day=20), other_staff)
    state = state_on(council, D(2025, 2, 21), action.pk)
    assert state.last_progress_at == T0, "only progress counts towards 'no update for 30 days'"
    assert state.rag == "amber" and "no update for 46 days" in state.reason


def test_the_plan_as_at_a_day_is_its_end_or_now():
    day = D(2025, 3, 30)  # the clocks go forward in England
    assert end_of_day(day).isoformat() == "2025-03-30T23:59:59.999999+01:00"
    noon = T0.replace(month=3, day=30, hour=12)
    assert moment_for(day, now=noon) == noon
    assert moment_for(day, now=noon + datetime.timedelta(days=2)) == end_of_day(day)
    assert clock_at(end_of_day(day)).today == day


@pytest.mark.django_db
def test_a_revision_keeps_its_dates_and_the_plan_reads_them_not_the_note(writer, council):
    """The dates are the entry's own: a note in any wording changes nothing."""
    action = writer.create(T0, due=D(2025, 3, 1))
    revision = writer.revise(action, T0.replace(month=2, day=20), D(2025, 4, 1))
    assert (revision.previous_due_date, revision.new_due_date) == (D(2025, 3, 1), D(2025, 4, 1))
    again = writer.revise(action, T0.replace(month=3, day=20), D(2025, 6, 1))
    assert (again.previous_due_date, again.new_due_date) == (D(2025, 4, 1), D(2025, 6, 1))
    # The note reworded behind the model's back (it refuses edits): the dates still hold.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE actions_progressupdate SET note = %s WHERE id = %s",
            ["The team asked for more time.", revision.pk],
        )
    assert state_on(council, D(2025, 3, 2), action.pk).effective_due == D(2025, 4, 1)
    assert state_on(council, D(2025, 3, 21), action.pk).effective_due == D(2025, 6, 1)


@pytest.mark.django_db
def test_only_a_revision_may_carry_due_dates(writer, council):
    action = writer.create(T0, due=D(2025, 3, 1))
    entry = writer.progress(action, T0.replace(day=10), status="in_progress", percent=10)
    stray = ProgressUpdate(
        action=action,
        council=council,
        author=entry.author,
        kind="progress",
        note="Not a revision.",
        previous_status="in_progress",
        status="in_progress",
        previous_percent=10,
        percent_complete=10,
        new_due_date=D(2025, 9, 1),
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressUpdate.objects.bulk_create([stray])


@pytest.mark.django_db
def test_loads_in_three_queries_whatever_the_size(writer, council, django_assert_num_queries):
    for n in range(5):
        action = writer.create(T0, due=D(2025, 3, n + 1), title=f"A{n}")
        writer.progress(action, T0.replace(day=10 + n))
        writer.revise(action, T0.replace(day=20), D(2025, 5, n + 1))
    with django_assert_num_queries(3):
        timeline = Timeline.load(council)
    with django_assert_num_queries(0):
        for month in range(1, 7):
            timeline.plan_as_at(end_of_day(D(2025, month, 1)))


# --- The property: the rebuilt plan is what the live plan was --------------------------------

STEPS = ("progress", "deliver", "sign_off", "send_back", "revise", "cancel", "reopen", "reassign")

_gaps = st.one_of(
    st.sampled_from([0, 1, 60, 29 * 24 * 60, 30 * 24 * 60, 30 * 24 * 60 + 1]),
    st.integers(1, 45 * 24 * 60),
).map(lambda minutes: datetime.timedelta(minutes=minutes))


@st.composite
def timelines(draw):
    """A few actions' lives as (gap since the last event, action index, step, a number)."""
    count = draw(st.integers(1, 3))
    events = [(draw(_gaps), index, "create", draw(st.integers(-20, 90))) for index in range(count)]
    for _ in range(draw(st.integers(0, 10))):
        events.append(
            (
                draw(_gaps),
                draw(st.integers(0, count - 1)),
                draw(st.sampled_from(STEPS)),
                draw(st.integers(-30, 100)),
            )
        )
    # The first action comes first; the others are created among the steps.
    return events[:1] + draw(st.permutations(events[1:]))


def _live(action: Action, moment):
    """What the live action says, rated at `moment`."""
    assessment = action.assess(clock_at(moment))
    return {
        "status": action.status,
        "percent": action.percent_complete,
        "due": action.effective_due_date,
        "rag": assessment.rag.value,
        "reason": assessment.reason,
        "last_progress_at": action.last_progress_at,
    }


def _rebuilt(state):
    return {
        "status": state.status,
        "percent": state.percent,
        "due": state.effective_due,
        "rag": state.rag,
        "reason": state.reason,
        "last_progress_at": state.last_progress_at,
    }


def _apply(writer, actions, people, moment, index, step, number):
    if step == "create":
        actions.append(writer.create(moment, due=(T0 + datetime.timedelta(days=number)).date()))
        return
    action = actions[index] if index < len(actions) else actions[-1]
    action.refresh_from_db()
    percent = max(0, min(99, number))
    try:
        if step == "progress":
            status = ("not_started", "in_progress", "blocked")[number % 3]
            writer.progress(action, moment, status=status, percent=percent, author=action.owner)
        elif step == "deliver":
            writer.progress(action, moment, status="delivered", percent=100, author=action.owner)
        elif step == "sign_off":
            writer.sign_off(action, moment)
        elif step == "send_back":
            writer.send_back(action, moment)
        elif step == "revise":
            due = action.effective_due_date + datetime.timedelta(days=number or 1)
            if action.start_date is None or due >= action.start_date:
                writer.revise(action, moment, due)
        elif step == "cancel":
            writer.cancel(action, moment)
        elif step == "reopen":
            writer.reopen(action, moment)
        elif step == "reassign":
            writer.reassign(action, moment, people[number % len(people)])
    except ValidationError:
        pass  # not allowed in the action's state then: the timeline goes on without it


@pytest.mark.django_db(transaction=False)
@settings(max_examples=40)
@given(events=timelines())
def test_the_plan_as_at_any_moment_is_what_the_live_plan_was_then(events):
    """After each write, and between writes, the live actions (rated at that moment) are what
    the plan rebuilt from the timeline says; as at the end, it also matches SQL's RAG and the
    findings' roll-ups."""
    with transaction.atomic():
        council = CouncilFactory()
        manager, *people = (UserFactory() for _ in range(3))
        MembershipFactory(user=manager, council=council, role=Role.MANAGER)
        for person in people:
            MembershipFactory(user=person, council=council, role=Role.STAFF)
        finding = FindingFactory(inspection=InspectionFactory(council=council))
        writer = PlanWriter(council=council, manager=manager, owner=people[0], finding=finding)
        actions: list[Action] = []
        seen = {}
        moment = T0
        for gap, index, step, number in events:
            # Between writes: the same rows, rated later (due soon, stale, overdue).
            halfway = moment + gap / 2
            if actions and halfway > moment:
                seen[halfway] = {a.pk: _live(a, halfway) for a in actions}
            moment += gap + datetime.timedelta(seconds=1)
            _apply(writer, actions, people, moment, index, step, number)
            for action in actions:
                action.refresh_from_db()
            seen[moment] = {a.pk: _live(a, moment) for a in actions}

        timeline = Timeline.load(council)
        for when, expected in seen.items():
            plan = timeline.plan_as_at(when)
            rebuilt = {state.pk: _rebuilt(state) for state in plan.actions}
            assert rebuilt == expected, f"as at {when}"

        # As at the end, the rebuilt plan agrees with the SQL rules and roll-ups.
        clock = clock_at(moment)
        plan = timeline.plan_as_at(moment)
        in_sql = dict(
            Action.objects.for_council(council).with_rag(clock).values_list("pk", "rag_code")
        )
        assert {state.pk: state.rag for state in plan.actions} == in_sql
        rolled = Finding.objects.with_progress(clock).get(pk=finding.pk)
        [rebuilt_finding] = plan.findings
        assert rebuilt_finding.progress == (
            None if rolled.progress is None else int(rolled.progress)
        )
        counts = Counter(state.rag for state in plan.actions)
        for rag in RAG_SEVERITY:
            assert getattr(rolled, f"{rag.value}_count") == counts[rag.value], rag
            assert plan.totals.count(rag) == counts[rag.value]
        assert plan.totals.overdue == Action.objects.for_council(council).overdue(clock).count()
        assert plan.totals.live == Action.objects.for_council(council).live().count()
        assert counts[Rag.NOT_RATED.value] == plan.totals.cancelled
        assert all(state.status in Status.values for state in plan.actions)
        transaction.set_rollback(True)
