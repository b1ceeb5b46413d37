"""Changing roles and removing people: who may, and what each refusal leaves unchanged."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from actions.models import Action
from councils import services
from councils.models import Membership, Role, User
from tests.factories import ActionFactory, MembershipFactory, UserFactory

from .conftest import member, membership_of, signed_in, work_on


def state():
    """Everything a team change could touch."""
    return (
        list(Membership.objects.order_by("pk").values()),
        list(
            User.objects.order_by("pk").values(
                "pk", "username", "password", "is_active", "is_staff", "is_superuser"
            )
        ),
        list(Action.objects.order_by("pk").values("pk", "owner_id", "status")),
        Membership.history.count(),
    )


def role_url(membership):
    return f"/team/{membership.pk}/role/"


def remove_url(membership):
    return f"/team/{membership.pk}/remove/"


# --- What is allowed, and recorded --------------------------------------------------------------


def test_an_admin_changes_a_role_and_the_trail_says_who(admin_client, admin, staff, council):
    membership = membership_of(staff, council)
    response = admin_client.post(role_url(membership), {"role": "manager"})
    assert response.status_code == 302 and response["Location"] == "/team/"
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER
    latest = membership.history.first()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~",
        admin,
        "Role changed from staff to manager",
    )
    assert "Priya Shah is now manager." in admin_client.get("/team/").content.decode()


def test_the_same_role_again_changes_nothing(admin_client, staff, council):
    membership = membership_of(staff, council)
    before = state()
    response = admin_client.post(role_url(membership), {"role": "staff"}, follow=True)
    assert "nothing changed" in response.content.decode()
    assert state() == before


def test_an_admin_removes_someone_and_their_actions_stay_flagged(
    admin_client, admin, staff, council, action
):
    membership = membership_of(staff, council)
    page = admin_client.get(remove_url(membership)).content.decode()
    assert "owns 1 open action" in page
    response = admin_client.post(remove_url(membership))
    assert response.status_code == 302 and response["Location"] == "/team/"
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert User.objects.filter(pk=staff.pk, is_active=True).exists(), "the account stays"
    action.refresh_from_db()
    assert action.owner_id == staff.pk, "their actions stay"
    deleted = Membership.history.filter(id=membership.pk).first()
    assert (deleted.history_type, deleted.history_user, deleted.history_change_reason) == (
        "-",
        admin,
        "Removed from the team",
    )
    team = admin_client.get("/team/").content.decode()
    assert "Actions that need a new owner" in team
    assert f"/actions/?owner={staff.pk}" in team


def test_an_admin_may_make_another_admin_and_then_step_down(admin_client, admin, staff, council):
    admin_client.post(role_url(membership_of(staff, council)), {"role": "admin"})
    mine = membership_of(admin, council)
    response = admin_client.post(role_url(mine), {"role": "manager"})
    assert response.status_code == 302 and response["Location"] == "/", "off to the dashboard"
    assert membership_of(admin, council).role == Role.MANAGER
    assert admin_client.get("/team/").status_code == 403, "no longer an admin"


def test_an_admin_may_leave_when_another_admin_stays(admin_client, admin, second_admin, council):
    response = admin_client.post(remove_url(membership_of(admin, council)))
    assert response.status_code == 302
    assert not admin.memberships.exists()


def test_a_superuser_may_change_anyone_at_the_council(council, staff):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client = signed_in(superuser)
    work_on(client, council)
    assert (
        client.post(role_url(membership_of(staff, council)), {"role": "admin"}).status_code == 302
    )
    assert membership_of(staff, council).role == Role.ADMIN


# --- Refusals: each leaves everything as it was ---------------------------------------------------


def test_the_last_admin_cannot_be_demoted(council, admin, staff):
    """Here by a superuser, who may change anyone: still not the last admin."""
    superuser = UserFactory(is_superuser=True)
    client = signed_in(superuser)
    work_on(client, council)
    before = state()
    response = client.post(role_url(membership_of(admin, council)), {"role": "staff"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Alex Morgan is the only admin of" in page and "There is a problem" in page
    assert state() == before


def test_the_last_admin_cannot_be_removed(council, admin):
    superuser = UserFactory(is_superuser=True)
    client = signed_in(superuser)
    work_on(client, council)
    before = state()
    url = remove_url(membership_of(admin, council))
    assert "cannot be removed" in client.get(url).content.decode(), "said before they try"
    response = client.post(url)
    assert response.status_code == 200
    assert "Alex Morgan is the only admin of" in response.content.decode()
    assert state() == before


def test_the_last_admin_cannot_demote_or_remove_themselves(admin_client, admin, council):
    mine = membership_of(admin, council)
    before = state()
    demoted = admin_client.post(role_url(mine), {"role": "manager"})
    assert "You are the only admin of" in demoted.content.decode()
    left = admin_client.post(remove_url(mine))
    assert "You are the only admin of" in left.content.decode()
    assert state() == before


def test_two_admins_cannot_both_step_down(admin, second_admin, council):
    services.change_role(
        membership=membership_of(admin, council), role=Role.STAFF, changed_by=admin
    )
    before = state()
    with pytest.raises(ValidationError, match="only admin"):
        services.change_role(
            membership=membership_of(second_admin, council),
            role=Role.STAFF,
            changed_by=second_admin,
        )
    assert state() == before


@pytest.mark.parametrize("role", ["superuser", "owner", "ADMIN", "", "staff "])
def test_no_role_above_admin_or_unknown_is_accepted(admin_client, staff, council, role):
    before = state()
    response = admin_client.post(
        role_url(membership_of(staff, council)),
        {"role": role, "is_staff": "on", "is_superuser": "on"},
    )
    assert response.status_code == 200
    assert state() == before


def test_the_service_refuses_a_role_above_admin_too(admin, staff, council):
    before = state()
    with pytest.raises(ValidationError):
        services.change_role(
            membership=membership_of(staff, council), role="superuser", changed_by=admin
        )
    assert state() == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_staff_and_managers_are_refused_every_team_page(council, staff, admin, role):
    user = member(council, role)
    client = signed_in(user)
    target = membership_of(staff, council)
    before = state()
    for url in ("/team/", "/team/invite/", role_url(target), remove_url(target)):
        assert client.get(url).status_code == 403, url
    for url, data in (
        (
            "/team/invite/",
            {"first_name": "A", "last_name": "B", "email": "a@b.org", "role": "staff"},
        ),
        (role_url(target), {"role": "admin"}),
        (remove_url(target), {}),
        (f"/team/{target.pk}/invite-again/", {}),
    ):
        assert client.post(url, data).status_code == 403, url
    assert state() == before


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER])
def test_the_services_refuse_staff_and_managers(council, staff, role):
    user = member(council, role)
    target = membership_of(staff, council)
    before = state()
    with pytest.raises(PermissionDenied):
        services.change_role(membership=target, role=Role.ADMIN, changed_by=user)
    with pytest.raises(PermissionDenied):
        services.remove_member(membership=target, removed_by=user)
    with pytest.raises(PermissionDenied):
        services.invite_member(
            council=council,
            invited_by=user,
            first_name="A",
            last_name="B",
            email="a@example.org",
            role=Role.STAFF,
            site_url="http://testserver/",
        )
    assert state() == before


def test_people_with_more_power_or_another_council_are_out_of_reach(
    admin_client, admin, council, other_council
):
    """Members whose account the rule keeps from this admin: a 404, and nothing changes."""
    flagged = member(council, Role.STAFF, is_staff=True)
    superuser = member(council, Role.STAFF, is_superuser=True)
    both_councils = member(council, Role.STAFF)
    MembershipFactory(user=both_councils, council=other_council, role=Role.ADMIN)
    before = state()
    for person in (flagged, superuser, both_councils):
        membership = membership_of(person, council)
        for method, url, data in (
            ("get", role_url(membership), None),
            ("post", role_url(membership), {"role": "admin"}),
            ("get", remove_url(membership), None),
            ("post", remove_url(membership), None),
            ("post", f"/team/{membership.pk}/invite-again/", None),
        ):
            response = getattr(admin_client, method)(url, data)
            assert response.status_code == 404, f"{method} {url} for {person}"
    assert state() == before
    page = admin_client.get("/team/").content.decode()
    assert page.count("Ask your support team to change") == 3


def test_the_services_refuse_people_out_of_reach(admin, council, other_council):
    both = member(council, Role.STAFF)
    MembershipFactory(user=both, council=other_council, role=Role.STAFF)
    before = state()
    with pytest.raises(PermissionDenied):
        services.change_role(
            membership=membership_of(both, council), role=Role.MANAGER, changed_by=admin
        )
    with pytest.raises(PermissionDenied):
        services.remove_member(membership=membership_of(both, council), removed_by=admin)
    assert state() == before


def test_an_admin_here_cannot_change_a_membership_at_another_council(
    admin, council, other_council, outsider
):
    """Through the services too: admin of one council, the membership of another."""
    before = state()
    with pytest.raises(PermissionDenied):
        services.change_role(
            membership=membership_of(outsider, other_council), role=Role.ADMIN, changed_by=admin
        )
    with pytest.raises(PermissionDenied):
        services.remove_member(membership=membership_of(outsider, other_council), removed_by=admin)
    assert state() == before


def test_a_removed_member_who_still_owns_an_action_can_be_invited_back(
    admin_client, admin, council, other_council
):
    """Removed from their only council, they belong nowhere: the rule says a support team's job."""
    person = member(council, Role.STAFF)
    ActionFactory(finding__inspection__council=council, owner=person)
    admin_client.post(remove_url(membership_of(person, council)))
    response = admin_client.post(
        "/team/invite/",
        {"first_name": "A", "last_name": "B", "email": person.email, "role": "staff"},
    )
    assert services.CANNOT_ADD in response.content.decode()
