"""The demo's board meetings: a newcomer finds frozen meetings, what changed and a pack."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from boards.models import BoardMeeting
from councils.models import User

from .conftest import signed_in


@pytest.mark.django_db
def test_the_demo_holds_three_cambridgeshire_board_meetings_the_earlier_two_frozen(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    meetings = list(BoardMeeting.objects.filter(council__dfe_la_code="873").order_by("held_on"))
    assert [m.is_frozen for m in meetings] == [True, True, False]
    assert all(m.frozen_at.date() == m.held_on for m in meetings[:2])
    assert not BoardMeeting.objects.exclude(council__dfe_la_code="873").exists()

    client = signed_in(User.objects.get(username="demo.manager"))
    latest, middle = meetings[2], meetings[1]
    changes = client.get(reverse("board_changes", args=[latest.pk]))
    assert changes.status_code == 200
    # Compared with the frozen meeting before it, read from its snapshot.
    assert changes.context["figures"].previous == middle
    found = changes.context["changes"]
    # Between them, in the demo's timeline: two actions delivered and one cancelled.
    assert len(found.delivered) == 2 and len(found.cancelled) == 1, found
    pack = client.get(reverse("board_pack", args=[middle.pk]))
    assert pack.status_code == 200
    # The middle meeting's pack compares with the first, and has months of trends.
    # An action delivered and then signed off between the first meeting and the second.
    assert len(pack.context["pack"].figures.changes.signed_off) == 1
    assert len(pack.context["pack"].trend.points) >= 3
