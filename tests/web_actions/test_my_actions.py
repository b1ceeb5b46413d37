"""My actions: what the signed-in user owns or contributes to, most urgent first."""

import pytest
from django.urls import reverse

from actions import services
from actions.rag import Status
from tests.factories import ActionFactory, FindingFactory, UserFactory

from .conftest import count_queries, days, make_actions, titles

pytestmark = pytest.mark.django_db

URL = reverse("my_actions")


def test_sign_in_is_required(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def mine(finding, staff, other_staff, manager, other_action):
    owned_late = ActionFactory(
        finding=finding,
        owner=staff,
        title="Owned and late",
        status=Status.IN_PROGRESS,
        due_date=days(-2),
    )
    owned_green = ActionFactory(
        finding=finding, owner=staff, title="Owned and on track", due_date=days(80)
    )
    contributing = ActionFactory(
        finding=finding, owner=other_staff, title="Contributing, due soon", due_date=days(3)
    )
    contributing.contributors.add(staff)
    ActionFactory(finding=finding, owner=other_staff, title="Someone else's")
    done = ActionFactory(
        finding=finding, owner=staff, title="Done and signed off", due_date=days(10)
    )
    services.log_progress(
        action=done, author=staff, note="Done", status=Status.DELIVERED, percent_complete=100
    )
    services.sign_off(action=done, manager=manager)
    dropped = ActionFactory(finding=finding, owner=staff, title="Dropped")
    services.cancel(action=dropped, manager=manager, reason="Not needed")
    # The same person at another council: not shown while working on this one.
    other_action.contributors.add(staff)
    return owned_late, owned_green, contributing


def test_shows_owned_and_contributed_open_actions_most_urgent_first(staff_client, mine):
    response = staff_client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Owned and late", "Contributing, due soon", "Owned and on track"]
    html = response.content.decode()
    assert "<title>My actions – Improvement Tracker</title>" in html
    assert (
        'aria-current="page"><strong class="govuk-service-navigation__active-fallback">My actions'
        in html
    )
    assert "Show all my actions" in html
    assert "<caption" in html


def test_show_all_includes_complete_and_cancelled(staff_client, mine):
    response = staff_client.get(f"{URL}?show=all")
    assert titles(response) == [
        "Owned and late",
        "Contributing, due soon",
        "Owned and on track",
        "Done and signed off",
        "Dropped",
    ]
    assert "Show only open actions" in response.content.decode()


def test_no_open_actions_says_what_next(other_staff_client, council):
    html = other_staff_client.get(URL).content.decode()
    assert "You have no open actions" in html
    assert reverse("action_list") in html


def test_no_actions_at_all_says_what_next(other_staff_client, council):
    html = other_staff_client.get(f"{URL}?show=all").content.decode()
    assert "You have no actions at" in html


def test_paginated(staff_client, finding, staff):
    make_actions(finding, staff, 55)
    response = staff_client.get(URL)
    assert len(response.context["actions"]) == 50
    assert 'class="govuk-pagination"' in response.content.decode()
    assert len(staff_client.get(f"{URL}?page=2").context["actions"]) == 5


@pytest.mark.parametrize("query", ["", "?show=all"])
def test_query_count_does_not_grow(staff_client, council, staff, finding, query):
    for action in make_actions(finding, staff, 2):
        action.contributors.add(UserFactory())
    small = count_queries(staff_client, URL + query)
    other_finding = FindingFactory(inspection__council=council)
    for action in make_actions(other_finding, UserFactory(), 30):
        action.contributors.add(staff, UserFactory())
    make_actions(finding, staff, 30)
    large = count_queries(staff_client, URL + query)
    assert small == large, f"{small} queries with 2 actions, {large} with 62"
