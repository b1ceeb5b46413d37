"""RAG edges the mutation run found unpinned (docs/testing.md): a blocked action's lateness
in words, and a rating's clock and result that cannot change once made."""

import dataclasses
import datetime

import pytest

from actions.rag import Clock, Rag, RagAssessment, Status, assess
from tests.conftest import FIXED_NOW

CLOCK = Clock(today=FIXED_NOW.date(), now=FIXED_NOW)


def blocked(due_in_days: int) -> RagAssessment:
    return assess(
        status=Status.BLOCKED,
        due_date=CLOCK.today + datetime.timedelta(days=due_in_days),
        revised_due_date=None,
        last_progress_at=CLOCK.now,
        signed_off_at=None,
        clock=CLOCK,
    )


@pytest.mark.parametrize(
    ("due_in_days", "label"),
    [
        (5, "Red: blocked"),
        (0, "Red: blocked"),
        (-1, "Red: blocked, 1 day overdue"),
        (-2, "Red: blocked, 2 days overdue"),
    ],
)
def test_a_blocked_action_says_how_late_it_is_only_once_it_is(due_in_days, label):
    assert blocked(due_in_days).label == label
    assert blocked(due_in_days).rag == Rag.RED


def test_a_clock_is_fixed_once_made():
    with pytest.raises(dataclasses.FrozenInstanceError):
        CLOCK.today = CLOCK.today + datetime.timedelta(days=1)
    assert hash(CLOCK) == hash(Clock(today=CLOCK.today, now=CLOCK.now))


def test_a_rating_is_fixed_once_made():
    rating = blocked(0)
    with pytest.raises(dataclasses.FrozenInstanceError):
        rating.rag = Rag.GREEN
    assert {rating: "usable as a key"}[blocked(0)] == "usable as a key"
    assert str(rating) == rating.label == "Red: blocked"
