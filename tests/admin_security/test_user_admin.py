"""Issue 12, item 1: a council admin manages only people wholly within their own councils.

The rule (councils.user_admin_rules.can_administer_user): a council admin may
change, set the password of, deactivate or delete a user only when every one of
that user's memberships is at a council they administer and the user is neither
staff nor superuser; never themselves. A superuser may manage anyone. Everyone
else's change, password, delete and history pages answer 404, as another
council's objects do, and their memberships cannot be added, changed or deleted.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from councils.models import Membership, Role, User
from councils.user_admin_rules import administrable_users, can_administer_user
from tests.factories import MembershipFactory, UserFactory

from .conftest import council_admin, member

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-brand-new-password-123"

# --- The rule itself ------------------------------------------------------------------------------

# (target fixture, may Homeshire's admin administer them?)
TARGETS = [
    ("home_staff", True),
    ("home_manager", True),
    ("superuser_member", False),
    ("two_council_admin", False),
    ("shared_staff", False),
    ("other_staff", False),
    ("home_admin", False),  # themselves
]


@pytest.mark.parametrize(("target", "allowed"), TARGETS)
def test_the_rule_for_a_council_admin(request, home_admin, target, allowed):
    user = request.getfixturevalue(target)
    assert can_administer_user(home_admin, user) is allowed
    assert administrable_users(home_admin, User.objects.all()).filter(pk=user.pk).exists() is (
        allowed
    ), "the queryset form of the rule agrees with the function"


@pytest.mark.parametrize(("target", "_"), TARGETS)
def test_a_superuser_may_administer_anyone(request, superuser, target, _):
    user = request.getfixturevalue(target)
    assert can_administer_user(superuser, user)
    assert administrable_users(superuser, User.objects.all()).filter(pk=user.pk).exists()


def test_another_council_admin_a_user_with_no_council_and_nobody_signed_in(home, home_admin):
    fellow_admin = council_admin(home)
    nobody = UserFactory()
    home_staff = member(home)
    assert not can_administer_user(home_admin, fellow_admin), "another admin has staff status"
    assert not can_administer_user(home_admin, nobody), "no membership: no council's to manage"
    assert not can_administer_user(AnonymousUser(), home_staff)
    manager = member(home, Role.MANAGER)
    assert not can_administer_user(manager, home_staff), "only admins manage users"
    assert not can_administer_user(home_admin, None)


def test_an_admin_at_two_councils_administers_members_of_either(home, other):
    admin_of_both = council_admin(home)
    MembershipFactory(user=admin_of_both, council=other, role=Role.ADMIN)
    shared = member(home)
    MembershipFactory(user=shared, council=other)
    assert can_administer_user(admin_of_both, shared)
    inactive_admin = council_admin(home, is_active=False)
    assert not can_administer_user(inactive_admin, shared)


# --- The admin's user pages -----------------------------------------------------------------------


def user_url(name, user):
    return reverse(_USER_URLS[name], args=[user.pk])


# Django's UserAdmin names its password page after auth.User, whatever the model.
_USER_URLS = {
    "change": "admin:councils_user_change",
    "delete": "admin:councils_user_delete",
    "history": "admin:councils_user_history",
    "password_change": "admin:auth_user_password_change",
}


def password_post():
    return {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}


@pytest.mark.parametrize("target", ["superuser_member", "two_council_admin", "shared_staff"])
def test_a_council_admin_cannot_set_the_password_of_someone_with_more_power(
    client, request, home_admin, target
):
    """The take-over: setting a superuser's (or another council's admin's) password."""
    victim = request.getfixturevalue(target)
    password_before = victim.password
    client.force_login(home_admin)

    assert client.get(user_url("password_change", victim)).status_code == 404
    response = client.post(user_url("password_change", victim), password_post())

    assert response.status_code == 404
    victim.refresh_from_db()
    assert victim.password == password_before
    assert not victim.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target", ["superuser_member", "two_council_admin", "shared_staff"])
@pytest.mark.parametrize("page", ["change", "delete", "history"])
def test_their_other_pages_answer_404(client, request, home_admin, target, page):
    victim = request.getfixturevalue(target)
    client.force_login(home_admin)
    assert client.get(user_url(page, victim)).status_code == 404
    post = {"post": "yes", "username": "taken-over", "email": "x@example.org", "is_active": ""}
    assert client.post(user_url(page, victim), post).status_code == 404
    victim.refresh_from_db()
    assert victim.username != "taken-over" and victim.is_active
    assert User.objects.filter(pk=victim.pk).exists()


def test_their_pages_answer_exactly_as_for_a_user_that_does_not_exist(
    client, home_admin, superuser_member
):
    client.force_login(home_admin)
    for page in ("change", "password_change", "delete", "history"):
        real = client.get(user_url(page, superuser_member))
        missing = client.get(reverse(_USER_URLS[page], args=[987654321]))
        assert (real.status_code, real.get("Location")) == (
            missing.status_code,
            missing.get("Location"),
        )


def test_a_council_admin_cannot_open_their_own_user_page(client, home_admin):
    """Their own password goes through the usual change-password page instead."""
    client.force_login(home_admin)
    assert client.get(user_url("password_change", home_admin)).status_code == 404
    assert client.get(reverse("admin:password_change")).status_code == 200


def test_the_bulk_delete_action_deletes_nobody_it_may_not(
    client, home_admin, superuser_member, two_council_admin, home_staff
):
    client.force_login(home_admin)
    ids = [superuser_member.pk, two_council_admin.pk, home_staff.pk]
    response = client.post(
        reverse("admin:councils_user_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code in (200, 302)
    assert User.objects.filter(pk__in=[superuser_member.pk, two_council_admin.pk]).count() == 2


def test_the_user_list_shows_only_the_people_the_admin_may_manage(
    client, home_admin, superuser_member, two_council_admin, shared_staff, home_staff, other_staff
):
    client.force_login(home_admin)
    response = client.get(reverse("admin:councils_user_changelist"))
    assert response.status_code == 200
    listed = {user.username for user in response.context["cl"].result_list}
    assert listed == {"home-staff"}


def test_permission_checks_follow_the_rule(rf, home_admin, superuser_member, home_staff):
    from django.contrib import admin

    model_admin = admin.site.get_model_admin(User)
    request = rf.get("/admin/")
    request.user = home_admin
    assert model_admin.has_change_permission(request, home_staff)
    assert model_admin.has_delete_permission(request, home_staff)
    assert not model_admin.has_change_permission(request, superuser_member)
    assert not model_admin.has_delete_permission(request, superuser_member)


def test_a_council_admin_still_manages_their_own_councils_people(client, home_admin, home_staff):
    client.force_login(home_admin)
    assert client.get(user_url("change", home_staff)).status_code == 200
    response = client.post(user_url("password_change", home_staff), password_post())
    assert response.status_code == 302
    home_staff.refresh_from_db()
    assert home_staff.check_password(NEW_PASSWORD)


def test_a_superuser_still_manages_everyone(client, superuser, two_council_admin):
    client.force_login(superuser)
    response = client.post(user_url("password_change", two_council_admin), password_post())
    assert response.status_code == 302
    two_council_admin.refresh_from_db()
    assert two_council_admin.check_password(NEW_PASSWORD)


# --- Memberships: no way round the rule -----------------------------------------------------------


def test_a_council_admin_cannot_give_a_more_powerful_user_a_membership(
    client, home, home_admin, superuser, other_staff, two_council_admin
):
    client.force_login(home_admin)
    before = Membership.objects.count()
    for target in (superuser, other_staff):
        response = client.post(
            reverse("admin:councils_membership_add"),
            {"user": target.pk, "council": home.pk, "role": Role.ADMIN},
        )
        assert response.status_code == 200, "refused with a form error"
        assert response.context["adminform"].form.errors["user"]
    assert Membership.objects.count() == before


@pytest.mark.parametrize("target", ["superuser_member", "two_council_admin", "shared_staff"])
def test_a_council_admin_cannot_change_or_delete_their_membership(
    client, request, home, home_admin, target
):
    victim = request.getfixturevalue(target)
    membership = Membership.objects.get(user=victim, council=home)
    client.force_login(home_admin)
    change = reverse("admin:councils_membership_change", args=[membership.pk])
    delete = reverse("admin:councils_membership_delete", args=[membership.pk])

    assert client.get(change).status_code == 200, "still listed, read only: it is at their council"
    response = client.post(change, {"user": victim.pk, "council": home.pk, "role": Role.ADMIN})
    assert response.status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403
    response = client.post(
        reverse("admin:councils_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.STAFF


def test_a_council_admin_still_manages_their_own_peoples_memberships(
    client, home, home_admin, home_staff
):
    client.force_login(home_admin)
    membership = Membership.objects.get(user=home_staff, council=home)
    response = client.post(
        reverse("admin:councils_membership_change", args=[membership.pk]),
        {"user": home_staff.pk, "council": home.pk, "role": Role.MANAGER},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == Role.MANAGER


def _autocomplete(client, model, field, term=""):
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": term, "app_label": model[0], "model_name": model[1], "field_name": field},
    )
    assert response.status_code == 200
    return {int(result["id"]) for result in response.json()["results"]}


def test_the_membership_user_autocomplete_offers_only_people_the_admin_may_manage(
    client, home_admin, home_staff, superuser_member, two_council_admin
):
    client.force_login(home_admin)
    offered = _autocomplete(client, ("councils", "membership"), "user")
    assert offered == {home_staff.pk}


def test_the_action_owner_autocomplete_still_offers_every_member(
    client, home_admin, home_staff, home_manager, superuser_member, other_staff
):
    client.force_login(home_admin)
    offered = _autocomplete(client, ("actions", "action"), "owner")
    assert {home_staff.pk, home_manager.pk, home_admin.pk} <= offered
    assert other_staff.pk not in offered


def test_a_council_admin_adds_a_person_with_a_role_at_their_council_and_manages_them(
    client, home, other, home_admin
):
    client.force_login(home_admin)
    data = {
        "username": "new-starter",
        "email": "new-starter@example.org",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "usable_password": "true",
        "memberships-TOTAL_FORMS": "1",
        "memberships-INITIAL_FORMS": "0",
        "memberships-0-council": other.pk,
        "memberships-0-role": Role.STAFF,
    }
    response = client.post(reverse("admin:councils_user_add"), data)
    assert response.status_code == 200, "not at another council"
    assert not User.objects.filter(username="new-starter").exists()

    data["memberships-0-council"] = home.pk
    response = client.post(reverse("admin:councils_user_add"), data)
    assert response.status_code == 302
    person = User.objects.get(username="new-starter")
    assert list(person.memberships.values_list("council", flat=True)) == [home.pk]
    assert client.get(response["Location"]).status_code == 200, "they manage whom they added"
