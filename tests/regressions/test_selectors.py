"""Reads for the action pages (actions/selectors.py) whose edges no page test pinned down.

Written for the mutation run (docs/testing.md).
"""

import datetime

import pytest

from actions import selectors, services
from actions.rag import Status
from councils.models import Role
from tests.factories import (
    ActionFactory,
    FindingFactory,
    InspectionFactory,
    ThemeFactory,
    UserFactory,
)

from .conftest import member

pytestmark = pytest.mark.django_db


def log(action, author, status, percent):
    services.log_progress(
        action=action, author=author, note="Update.", status=status, percent_complete=percent
    )


def test_percent_before_delivery_is_what_it_was_just_before_it_was_delivered(action, staff):
    log(action, staff, Status.IN_PROGRESS, 30)
    log(action, staff, Status.IN_PROGRESS, 60)
    log(action, staff, Status.DELIVERED, 100)
    log(action, staff, Status.DELIVERED, 100)  # delivered again: still from 60
    action.refresh_from_db()
    assert selectors.percent_before_delivery(action) == 60


def test_percent_before_delivery_can_be_99(action, staff):
    log(action, staff, Status.IN_PROGRESS, 99)
    log(action, staff, Status.DELIVERED, 100)
    action.refresh_from_db()
    assert selectors.percent_before_delivery(action) == 99


def test_percent_before_delivery_without_a_timeline_is_at_most_99(council, staff):
    delivered = ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        status=Status.DELIVERED,
        percent_complete=100,
    )
    assert selectors.percent_before_delivery(delivered) == 99
    started = ActionFactory(finding__inspection__council=council, owner=staff, percent_complete=45)
    assert selectors.percent_before_delivery(started) == 45


def test_the_action_page_counts_its_updates_and_saves(council, action, staff):
    fresh = selectors.action_for_page(council, action.pk)
    assert fresh.update_count == 0
    saves = fresh.save_count
    log(action, staff, Status.IN_PROGRESS, 10)
    log(action, staff, Status.IN_PROGRESS, 20)
    fresh = selectors.action_for_page(council, action.pk)
    assert fresh.update_count == 2
    assert fresh.save_count == saves + 2


def test_my_actions_are_owned_or_contributed_to_and_open_unless_asked(
    council, staff, other_staff, manager, clock
):
    finding = FindingFactory(inspection__council=council)
    owned = ActionFactory(finding=finding, owner=staff, title="owned")
    helping = ActionFactory(finding=finding, owner=other_staff, title="helping")
    helping.contributors.add(staff)
    ActionFactory(finding=finding, owner=other_staff, title="someone else's")
    closed = ActionFactory(finding=finding, owner=staff, title="closed")
    services.cancel(action=closed, manager=manager, reason="Replaced.")
    assert set(selectors.my_actions(council, staff, clock)) == {owned, helping}
    assert set(selectors.my_actions(council, staff, clock, include_closed=True)) == {
        owned,
        helping,
        closed,
    }


def test_the_owner_filter_offers_members_and_anyone_who_owns_an_action(council, staff):
    idle_member = member(council, Role.STAFF, first_name="Ida", last_name="Idle")
    former = UserFactory(first_name="Fay", last_name="Former")  # owns an action, left
    ActionFactory(finding__inspection__council=council, owner=former)
    ActionFactory(finding__inspection__council=council, owner=staff)
    stranger = member(FindingFactory().inspection.council, Role.STAFF)
    owners = set(selectors.council_owners(council))
    assert {idle_member, former, staff} <= owners
    assert stranger not in owners


def test_percent_before_delivery_is_from_the_latest_delivery(action, staff, manager):
    log(action, staff, Status.IN_PROGRESS, 30)
    log(action, staff, Status.DELIVERED, 100)
    services.send_back(action=action, manager=manager, reason="Not yet.", percent_complete=50)
    log(action, staff, Status.IN_PROGRESS, 80)
    log(action, staff, Status.DELIVERED, 100)
    action.refresh_from_db()
    assert selectors.percent_before_delivery(action) == 80


# --- The order of the filter's and the forms' choices (cosmic-ray does not mutate the
# field names in order_by(), so each order is pinned here) ------------------------------------


def test_inspections_are_newest_first(council):
    old, new, middle = (
        InspectionFactory(council=council, start_date=datetime.date(year, 3, 4))
        for year in (2019, 2024, 2022)
    )
    assert list(selectors.council_inspections(council)) == [new, middle, old]


def test_findings_are_by_inspection_newest_first_then_in_ofsteds_order(council):
    old = InspectionFactory(council=council, start_date=datetime.date(2019, 3, 4))
    new = InspectionFactory(council=council, start_date=datetime.date(2024, 3, 4))
    old_first = FindingFactory(inspection=old, position=1)
    new_second = FindingFactory(inspection=new, position=2)
    new_first = FindingFactory(inspection=new, position=1)
    assert list(selectors.council_findings(council)) == [new_first, new_second, old_first]


def test_themes_are_in_alphabetical_order(council):
    themes = [ThemeFactory(name=name) for name in ("Placements", "Care leavers", "Leadership")]
    for theme in themes:
        FindingFactory(inspection__council=council, theme=theme)
    names = [theme.name for theme in selectors.council_themes(council)]
    assert names == ["Care leavers", "Leadership", "Placements"]


def test_people_are_by_first_name_then_last_name_then_username():
    council = FindingFactory().inspection.council
    names = {  # made in another order than the one expected
        "ben.y": ("Ben", "Young"),
        "ben.a3": ("Ben", "Adams"),
        "amy.z": ("Amy", "Zeller"),
        "ben.a2": ("Ben", "Adams"),
    }
    for username, (first, last) in names.items():
        member(council, Role.STAFF, first_name=first, last_name=last, username=username)
    expected = ["amy.z", "ben.a2", "ben.a3", "ben.y"]
    assert [user.username for user in selectors.council_people(council)] == expected
    assert [user.username for user in selectors.council_owners(council)] == expected


# --- One query for the action and one for its contributors, whatever the page reads ----------


@pytest.mark.parametrize("select", [selectors.action_for_council, selectors.action_for_page])
def test_an_action_comes_with_everything_its_page_shows(
    council, action, staff, other_staff, manager, select, django_assert_num_queries
):
    action.contributors.add(other_staff)
    log(action, staff, Status.DELIVERED, 100)
    services.sign_off(action=action, manager=manager)
    with django_assert_num_queries(2):
        loaded = select(council, action.pk)
        shown = (
            str(loaded.owner),
            str(loaded.signed_off_by),
            loaded.finding.theme.name,
            loaded.finding.inspection.council.name,
            # The page reads them twice: who may log progress, then the list.
            [person.pk for person in loaded.contributors.all()],
            [str(person) for person in loaded.contributors.all()],
        )
    assert shown == (
        str(staff),
        str(manager),
        action.finding.theme.name,
        council.name,
        [other_staff.pk],
        [str(other_staff)],
    )
