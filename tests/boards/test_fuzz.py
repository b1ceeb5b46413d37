"""Hypothesis sends the board forms hostile input: never a server error, a refused meeting
writes nothing, and an accepted one holds exactly what was sent (trimmed)."""

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from boards.models import BoardMeeting

from .conftest import signed_in

pytestmark = pytest.mark.django_db

hostile = st.one_of(
    st.text(max_size=300),
    st.sampled_from(
        ["", " ", "0", "-1", "1", "12", "31", "32", "13", "2026", "0001", "9999", "२०२६", "\x00"]
    ),
    st.integers(150, 6_000).map(lambda n: "é" * n),
).map(lambda s: s.replace("\x00", ""))


@settings(max_examples=40)
@given(
    day=hostile,
    month=hostile,
    year=hostile,
    board=hostile,
    chair=hostile,
    notes=hostile,
)
def test_the_meeting_form_never_fails(manager, day, month, year, board, chair, notes):
    client = signed_in(manager)
    before = BoardMeeting.objects.count()
    data = {
        "held_on_0": day,
        "held_on_1": month,
        "held_on_2": year,
        "board": board,
        "chair": chair,
        "notes": notes,
    }
    response = client.post(reverse("board_list"), data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        assert "govuk-error-summary" in response.text
        assert BoardMeeting.objects.count() == before, "a refused form wrote nothing"
    else:
        meeting = BoardMeeting.objects.latest("pk")
        assert (meeting.board, meeting.chair, meeting.notes) == (
            board.strip(),
            chair.strip(),
            notes.strip(),
        )
        meeting.delete()


@pytest.fixture
def meeting(council, manager):
    return BoardMeeting.objects.create(
        council=council, held_on="2026-03-05", board="Board", created_by=manager
    )


@settings(max_examples=40)
@given(since=hostile, day=hostile, month=hostile, year=hostile)
def test_the_changes_page_takes_any_date(manager, meeting, since, day, month, year):
    client = signed_in(manager)
    url = reverse("board_changes", args=[meeting.pk])
    for query in ({"since": since}, {"since_0": day, "since_1": month, "since_2": year}):
        response = client.get(url, query)
        assert response.status_code == 200, query
