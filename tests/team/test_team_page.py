"""The Team page: who is on the team, what they do, and actions left without an owner."""

import datetime

import pytest
from django.utils import timezone

from actions.rag import Status
from councils.models import Role
from tests.factories import ActionFactory, FindingFactory, UserFactory
from tests.web_actions.conftest import count_queries

from .conftest import member, signed_in, work_on


def test_the_page_lists_members_with_role_job_title_last_sign_in_and_open_actions(
    admin_client, admin, staff, manager, council
):
    staff.job_title = "Social worker"
    staff.last_login = timezone.make_aware(datetime.datetime(2025, 5, 2, 9, 30))
    staff.save()
    finding = FindingFactory(inspection__council=council)
    for status in (Status.NOT_STARTED, Status.BLOCKED, Status.DELIVERED):
        ActionFactory(finding=finding, owner=staff, status=status)
    for status in (Status.COMPLETE, Status.CANCELLED):
        closed(finding, staff, status)
    ActionFactory(owner=staff)  # at another council: not counted here

    response = admin_client.get("/team/")
    assert response.status_code == 200
    rows = {m.user: m for m in response.context["team"].members}
    assert set(rows) == {admin, staff, manager}
    assert rows[staff].open_actions == 3, "signed off and cancelled actions are not open"
    assert rows[manager].open_actions == 0
    page = response.content.decode()
    for text in ("Priya Shah", "Social worker", "Staff", "Manager", "Admin", "2 May 2025"):
        assert text in page, text
    assert f'href="/actions/?owner={staff.pk}"' in page
    assert "Alex Morgan (you)" in page
    assert response.context["team"].leavers == []


def test_people_who_left_are_flagged_with_their_open_actions(admin_client, council):
    finding = FindingFactory(inspection__council=council)
    left = UserFactory(first_name="Gone", last_name="Away")
    ActionFactory(finding=finding, owner=left, status=Status.IN_PROGRESS)
    ActionFactory(finding=finding, owner=left, status=Status.NOT_STARTED)
    closed(finding, left)
    switched_off = member(council, Role.STAFF, first_name="Off", last_name="Line", is_active=False)
    ActionFactory(finding=finding, owner=switched_off)
    done = UserFactory()
    closed(finding, done, Status.CANCELLED)

    response = admin_client.get("/team/")
    leavers = {person: person.open_actions for person in response.context["team"].leavers}
    assert leavers == {left: 2, switched_off: 1}, "owners of open actions who are not on the team"
    page = response.content.decode()
    assert "Actions that need a new owner" in page
    assert "Needs a new owner" in page
    assert f'href="/actions/?owner={left.pk}"' in page
    assert "Account switched off" in page
    # The link lands on the actions list filtered to that owner.
    listed = admin_client.get(f"/actions/?owner={left.pk}")
    assert listed.status_code == 200
    assert {a.owner_id for a in listed.context["actions"]} == {left.pk}


def test_invited_people_who_have_not_set_a_password_say_so(admin_client, council):
    invited = member(council, Role.STAFF)
    invited.set_unusable_password()
    invited.save()
    assert "Not yet: invited, no password set" in admin_client.get("/team/").content.decode()


def test_the_page_is_for_admins_and_superusers(client, council, staff, manager, admin):
    assert client.get("/team/").status_code == 302, "sign in first"
    assert signed_in(staff).get("/team/").status_code == 403
    assert signed_in(manager).get("/team/").status_code == 403
    assert signed_in(admin).get("/team/").status_code == 200
    superuser = signed_in(UserFactory(is_superuser=True))
    assert superuser.get("/team/")["Location"] == "/council/", "first, choose a council"
    work_on(superuser, council)
    assert superuser.get("/team/").status_code == 200


def test_team_is_in_the_navigation_for_admins_only(council, staff, manager, admin):
    for user, shown in ((staff, False), (manager, False), (admin, True)):
        page = signed_in(user).get("/").content.decode()
        assert ('href="/team/"' in page) == shown, f"{user}: Team link shown={shown}"
    page = signed_in(admin).get("/team/").content.decode()
    assert 'href="/team/" aria-current="page"' in page, "Team is the current section"


def test_an_admin_of_two_councils_sees_only_the_current_one(
    admin_client, admin, council, other_council
):
    from tests.factories import MembershipFactory

    MembershipFactory(user=admin, council=other_council, role=Role.ADMIN)
    elsewhere = member(other_council, Role.STAFF, first_name="Elsie", last_name="Where")
    work_on(admin_client, council)
    page = admin_client.get("/team/")
    assert elsewhere not in {m.user for m in page.context["team"].members}
    work_on(admin_client, other_council)
    page = admin_client.get("/team/")
    assert elsewhere in {m.user for m in page.context["team"].members}


def closed(finding, owner, status=Status.COMPLETE):
    """A signed-off (or cancelled) action."""
    if status == Status.COMPLETE:
        return ActionFactory(
            finding=finding,
            owner=owner,
            status=status,
            percent_complete=100,
            signed_off_by=UserFactory(),
            signed_off_at=timezone.now(),
        )
    return ActionFactory(finding=finding, owner=owner, status=status)


def _team_of(council, size):
    finding = FindingFactory(inspection__council=council)
    for i in range(size):
        person = member(council, [Role.STAFF, Role.MANAGER, Role.ADMIN][i % 3])
        if i % 2:
            ActionFactory(finding=finding, owner=person)
        if i % 5 == 0:
            ActionFactory(finding=finding, owner=UserFactory())  # someone who has left
        if i % 7 == 0:
            person.set_unusable_password()
            person.save()


@pytest.mark.parametrize("url", ["/team/", "/team/invite/"])
def test_the_pages_run_the_same_number_of_queries_for_5_and_50_members(admin_client, council, url):
    _team_of(council, 5)
    small = count_queries(admin_client, url)
    _team_of(council, 45)
    assert len(admin_client.get("/team/").context["team"].members) == 51
    large = count_queries(admin_client, url)
    assert small == large, f"{url}: {small} queries for 5 members, {large} for 50"


def test_the_member_pages_run_a_fixed_number_of_queries(admin_client, council, staff):
    from .conftest import membership_of

    membership = membership_of(staff, council)
    _team_of(council, 5)
    small = [
        count_queries(admin_client, f"/team/{membership.pk}/{page}/") for page in ("role", "remove")
    ]
    _team_of(council, 45)
    large = [
        count_queries(admin_client, f"/team/{membership.pk}/{page}/") for page in ("role", "remove")
    ]
    assert small == large


def test_the_team_page_only_shows(council, staff, admin):
    assert signed_in(admin).post("/team/").status_code == 405
    assert signed_in(staff).post("/team/").status_code == 403
