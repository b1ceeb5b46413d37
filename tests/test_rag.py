"""RAG ratings: every colour and its reason, the boundaries, and SQL agreeing with python."""

import datetime
from collections import Counter

import pytest
from django.db import transaction
from hypothesis import given
from hypothesis import strategies as st

from actions.models import Action
from actions.rag import Clock, Rag, Status, assess, rag_conditions
from inspections.models import Finding

from .conftest import FIXED_NOW
from .factories import ActionFactory, FindingFactory, UserFactory

TODAY = FIXED_NOW.date()
NOW = FIXED_NOW
CLOCK = Clock(today=TODAY, now=NOW)
IN_TWO_MONTHS = TODAY + datetime.timedelta(days=60)
YESTERDAY_NOW = NOW - datetime.timedelta(days=1)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def rate(
    *,
    status=Status.IN_PROGRESS,
    due_date=IN_TWO_MONTHS,
    revised_due_date=None,
    last_progress_at=YESTERDAY_NOW,
    signed_off_at=None,
    clock=CLOCK,
):
    return assess(
        status=status,
        due_date=due_date,
        revised_due_date=revised_due_date,
        last_progress_at=last_progress_at,
        signed_off_at=signed_off_at,
        clock=clock,
    )


# --- Every colour and its reason --------------------------------------------------------------


def test_red_when_overdue():
    assert rate(due_date=TODAY - days(12)).label == "Red: 12 days overdue"


def test_red_says_one_day_overdue_in_the_singular():
    assert rate(due_date=TODAY - days(1)).label == "Red: 1 day overdue"


def test_not_started_and_overdue_is_red():
    assert rate(status=Status.NOT_STARTED, due_date=TODAY - days(3)).rag == Rag.RED


def test_red_when_blocked_even_if_not_due():
    assert rate(status=Status.BLOCKED).label == "Red: blocked"


def test_blocked_and_overdue_says_both():
    assert rate(status=Status.BLOCKED, due_date=TODAY - days(3)).label == (
        "Red: blocked, 3 days overdue"
    )


def test_amber_when_due_within_14_days():
    assert rate(due_date=TODAY + days(5)).label == "Amber: due in 5 days"


def test_amber_when_no_update_for_30_days():
    assert rate(last_progress_at=NOW - days(41)).label == "Amber: no update for 41 days"


def test_amber_says_both_reasons_when_due_soon_and_stale():
    assert rate(due_date=TODAY + days(5), last_progress_at=NOW - days(41)).label == (
        "Amber: due in 5 days and no update for 41 days"
    )


def test_amber_when_delivered_and_awaiting_sign_off():
    assert rate(status=Status.DELIVERED).label == "Amber: delivered, awaiting sign-off"


def test_delivered_is_amber_not_red_even_when_past_its_due_date():
    assert rate(status=Status.DELIVERED, due_date=TODAY - days(20)).label == (
        "Amber: delivered, awaiting sign-off"
    )


def test_green_when_on_track_names_the_due_date():
    assert rate(due_date=datetime.date(2025, 7, 30)).label == "Green: on track, due 30 July 2025"


def test_blue_when_complete_names_the_sign_off_date():
    signed = datetime.datetime(2025, 6, 3, 10, 0, tzinfo=datetime.UTC)
    assert rate(status=Status.COMPLETE, signed_off_at=signed).label == (
        "Blue: complete, signed off on 3 June 2025"
    )


def test_blue_sign_off_date_is_the_date_in_england():
    # 23:30 UTC on 2 June is 00:30 on 3 June in London (British Summer Time).
    signed = datetime.datetime(2025, 6, 2, 23, 30, tzinfo=datetime.UTC)
    assert rate(status=Status.COMPLETE, signed_off_at=signed).reason == (
        "complete, signed off on 3 June 2025"
    )


def test_complete_is_blue_even_when_past_its_due_date():
    signed = datetime.datetime(2025, 6, 3, 10, 0, tzinfo=datetime.UTC)
    assert rate(status=Status.COMPLETE, due_date=TODAY - days(90), signed_off_at=signed).rag == (
        Rag.BLUE
    )


def test_cancelled_is_not_rated():
    assert rate(status=Status.CANCELLED, due_date=TODAY - days(30)).label == "Not rated: cancelled"


# --- Boundaries --------------------------------------------------------------------------------


def test_due_today_is_amber_not_red():
    assert rate(due_date=TODAY).label == "Amber: due today"


def test_due_tomorrow_is_amber():
    assert rate(due_date=TODAY + days(1)).label == "Amber: due tomorrow"


def test_due_in_exactly_14_days_is_amber():
    assert rate(due_date=TODAY + days(14)).label == "Amber: due in 14 days"


def test_due_in_15_days_is_green():
    assert rate(due_date=TODAY + days(15)).rag == Rag.GREEN


def test_update_exactly_30_days_ago_is_not_stale():
    assert rate(last_progress_at=NOW - days(30)).rag == Rag.GREEN


def test_update_30_days_and_a_second_ago_is_stale():
    assessment = rate(last_progress_at=NOW - days(30) - datetime.timedelta(seconds=1))
    assert assessment.label == "Amber: no update for 30 days"


def test_clock_windows():
    assert CLOCK.due_soon_by == datetime.date(2025, 6, 29)
    assert CLOCK.stale_before == NOW - days(30)


# --- The revised due date takes precedence ------------------------------------------------------


def test_revised_due_date_in_the_future_lifts_an_overdue_action():
    assessment = rate(due_date=TODAY - days(10), revised_due_date=datetime.date(2025, 9, 1))
    assert assessment.label == "Green: on track, due 1 September 2025"


def test_revised_due_date_in_the_past_makes_an_action_red():
    assert rate(due_date=TODAY + days(60), revised_due_date=TODAY - days(2)).label == (
        "Red: 2 days overdue"
    )


def test_revised_due_date_within_14_days_makes_an_action_amber():
    assert rate(due_date=TODAY + days(60), revised_due_date=TODAY + days(7)).label == (
        "Amber: due in 7 days"
    )


# --- The same rules in SQL ----------------------------------------------------------------------


@pytest.mark.django_db
def test_with_rag_annotates_each_colour(clock):
    finding = FindingFactory()
    signer = UserFactory()
    expected = {
        ActionFactory(finding=finding, due_date=clock.today - days(12)).pk: Rag.RED,
        ActionFactory(finding=finding, due_date=clock.today + days(5)).pk: Rag.AMBER,
        ActionFactory(
            finding=finding, due_date=clock.today + days(60), last_progress_at=clock.now
        ).pk: Rag.GREEN,
        ActionFactory(
            finding=finding,
            status=Status.COMPLETE,
            percent_complete=100,
            signed_off_by=signer,
            signed_off_at=clock.now - days(2),
        ).pk: Rag.BLUE,
        ActionFactory(finding=finding, status=Status.CANCELLED).pk: Rag.NOT_RATED,
    }
    annotated = dict(Action.objects.with_rag(clock).values_list("pk", "rag_code"))
    assert annotated == {pk: rag.value for pk, rag in expected.items()}


@pytest.mark.django_db
def test_most_urgent_first_orders_red_amber_green_blue_then_not_rated(clock):
    finding = FindingFactory()
    signer = UserFactory()
    ActionFactory(finding=finding, title="cancelled", status=Status.CANCELLED)
    ActionFactory(
        finding=finding,
        title="blue",
        status=Status.COMPLETE,
        percent_complete=100,
        signed_off_by=signer,
        signed_off_at=clock.now,
    )
    ActionFactory(finding=finding, title="green", last_progress_at=clock.now)
    ActionFactory(finding=finding, title="amber", due_date=clock.today + days(3))
    ActionFactory(finding=finding, title="red, later", due_date=clock.today - days(1))
    ActionFactory(finding=finding, title="red, earlier", due_date=clock.today - days(9))
    titles = list(
        Action.objects.with_rag(clock).most_urgent_first().values_list("title", flat=True)
    )
    assert titles == ["red, earlier", "red, later", "amber", "green", "blue", "cancelled"]


@pytest.mark.django_db
def test_overdue_queryset_uses_the_revised_due_date(clock):
    finding = FindingFactory()
    late = ActionFactory(
        finding=finding, due_date=clock.today + days(30), revised_due_date=clock.today - days(1)
    )
    ActionFactory(
        finding=finding, due_date=clock.today - days(30), revised_due_date=clock.today + days(1)
    )
    blocked_late = ActionFactory(
        finding=finding, status=Status.BLOCKED, due_date=clock.today - days(1)
    )
    ActionFactory(
        finding=finding,
        status=Status.DELIVERED,
        percent_complete=100,
        due_date=clock.today - days(1),
    )
    assert set(Action.objects.overdue(clock)) == {late, blocked_late}


# Offsets around every boundary: today, 14 days ahead, 30 days since the last update.
_day_offsets = st.one_of(st.sampled_from([-1, 0, 1, 13, 14, 15]), st.integers(-40, 40))
_stale_offsets = st.one_of(
    st.sampled_from(
        [
            datetime.timedelta(0),
            datetime.timedelta(microseconds=1),
            -datetime.timedelta(microseconds=1),
            datetime.timedelta(seconds=1),
            -datetime.timedelta(seconds=1),
        ]
    ),
    st.timedeltas(min_value=-days(30), max_value=days(40)),
)


@st.composite
def action_states(draw):
    status = draw(st.sampled_from(Status.values))
    due_date = TODAY + days(draw(_day_offsets))
    revised = draw(st.one_of(st.none(), _day_offsets.map(lambda n: TODAY + days(n))))
    last_progress_at = NOW - days(30) + draw(_stale_offsets)
    signed_off_at = None
    if status == Status.COMPLETE:
        signed_off_at = NOW - days(draw(st.integers(0, 400)))
    return {
        "status": status,
        "due_date": due_date,
        "revised_due_date": revised,
        "last_progress_at": last_progress_at,
        "signed_off_at": signed_off_at,
    }


@pytest.mark.django_db
@given(states=st.lists(action_states(), min_size=1, max_size=8))
def test_sql_rag_agrees_with_python_assess(states):
    """with_rag(), rag_conditions() and the roll-up counts all match assess()."""
    clock = CLOCK
    with transaction.atomic():
        finding = FindingFactory()
        owner = UserFactory()
        for state in states:
            complete = state["status"] == Status.COMPLETE
            ActionFactory(
                finding=finding,
                owner=owner,
                percent_complete=100 if complete else 0,
                signed_off_by=owner if complete else None,
                **state,
            )
        expected = {
            action.pk: action.assess(clock).rag.value
            for action in Action.objects.filter(finding=finding)
        }
        assert expected == {
            action.pk: assess(clock=clock, **state).rag.value
            for action, state in zip(
                Action.objects.filter(finding=finding).order_by("pk"), states, strict=True
            )
        }, "the model's assess() must rate the stored action as the inputs say"

        annotated = dict(
            Action.objects.filter(finding=finding).with_rag(clock).values_list("pk", "rag_code")
        )
        assert annotated == expected

        conditions = rag_conditions(clock)
        counts = Counter(expected.values())
        for rag in Rag:
            in_sql = set(
                Action.objects.filter(finding=finding)
                .filter(conditions[rag])
                .values_list("pk", flat=True)
            )
            assert in_sql == {pk for pk, code in expected.items() if code == rag.value}, rag
            assert len(in_sql) == counts[rag.value]

        rolled_up = Finding.objects.with_progress(clock).get(pk=finding.pk)
        for rag in (Rag.RED, Rag.AMBER, Rag.GREEN, Rag.BLUE):
            assert getattr(rolled_up, f"{rag.value}_count") == counts[rag.value], rag
        transaction.set_rollback(True)
