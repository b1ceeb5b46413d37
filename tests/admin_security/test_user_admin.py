"""Issue 12, item 1: a council admin manages only people wholly within their own councils.

The rule (councils.user_admin_rules.can_administer_user, which the Team page
follows): a council admin may change, set the password of, deactivate or delete a
user only when every one of that user's memberships is at a council they
administer and the user is neither staff nor superuser; never themselves. A
superuser may manage anyone.

The Django admin is for superusers only (issue 7, config/admin.py): to a council
admin, even one given staff status and every model permission, every admin page
answers 404, as another council's objects do, and nothing there writes.
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


# --- The admin's user pages: superusers only -----------------------------------------------------


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


def hijack_post():
    return {
        **password_post(),
        "post": "yes",
        "username": "taken-over",
        "email": "x@example.org",
        "is_active": "",
    }


def account(user):
    return User.objects.filter(pk=user.pk).values().first()


@pytest.mark.parametrize("who", ["home_admin", "two_council_admin"])
@pytest.mark.parametrize(
    "target", ["superuser_member", "two_council_admin", "shared_staff", "home_staff", "home_admin"]
)
@pytest.mark.parametrize("page", list(_USER_URLS))
def test_a_council_admin_reaches_no_ones_admin_pages(client, request, who, target, page):
    """The take-over was setting a superuser's (or another council's admin's) password."""
    signed_in, victim = request.getfixturevalue(who), request.getfixturevalue(target)
    client.force_login(signed_in)
    before = account(victim)

    assert client.get(user_url(page, victim)).status_code == 404
    assert client.post(user_url(page, victim), hijack_post()).status_code == 404

    assert account(victim) == before, "nothing written"
    assert not User.objects.get(pk=victim.pk).check_password(NEW_PASSWORD)


def test_their_pages_answer_exactly_as_for_a_user_that_does_not_exist(
    client, home_admin, superuser_member
):
    client.force_login(home_admin)
    for page in _USER_URLS:
        real = client.get(user_url(page, superuser_member))
        missing = client.get(reverse(_USER_URLS[page], args=[987654321]))
        assert (real.status_code, real.get("Location")) == (
            missing.status_code,
            missing.get("Location"),
        )


def test_a_council_admin_changes_their_own_password_in_the_service(client, home_admin):
    client.force_login(home_admin)
    assert client.get(reverse("admin:password_change")).status_code == 404
    response = client.post(
        reverse("change_password"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    home_admin.refresh_from_db()
    assert home_admin.check_password(NEW_PASSWORD)


def test_the_bulk_delete_action_deletes_nobody(
    client, home_admin, superuser_member, two_council_admin, home_staff
):
    client.force_login(home_admin)
    ids = [superuser_member.pk, two_council_admin.pk, home_staff.pk]
    response = client.post(
        reverse("admin:councils_user_changelist"),
        {"action": "delete_selected", "_selected_action": ids, "post": "yes"},
    )
    assert response.status_code == 404
    assert User.objects.filter(pk__in=ids).count() == 3


def test_a_superuser_manages_everyone(client, superuser, two_council_admin, home_staff):
    client.force_login(superuser)
    for person in (two_council_admin, home_staff):
        response = client.post(user_url("password_change", person), password_post())
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.check_password(NEW_PASSWORD)
    response = client.get(reverse("admin:councils_user_changelist"))
    listed = {user.username for user in response.context["cl"].result_list}
    assert {"two-council-admin", "home-staff", "superuser"} <= listed


# --- Memberships: not in the admin for a council admin either -------------------------------------


def test_a_council_admin_cannot_add_change_or_delete_memberships_in_the_admin(
    client, home, home_admin, superuser, home_staff
):
    client.force_login(home_admin)
    membership = Membership.objects.get(user=home_staff, council=home)
    before = list(Membership.objects.values())
    add = reverse("admin:councils_membership_add")
    change = reverse("admin:councils_membership_change", args=[membership.pk])
    delete = reverse("admin:councils_membership_delete", args=[membership.pk])

    assert (
        client.post(add, {"user": superuser.pk, "council": home.pk, "role": Role.ADMIN}).status_code
        == 404
    )
    assert (
        client.post(
            change, {"user": home_staff.pk, "council": home.pk, "role": Role.ADMIN}
        ).status_code
        == 404
    )
    assert client.post(delete, {"post": "yes"}).status_code == 404
    response = client.post(
        reverse("admin:councils_membership_changelist"),
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
    )
    assert response.status_code == 404
    assert list(Membership.objects.values()) == before


def test_an_autocomplete_offers_a_council_admin_nobody(client, home_admin, home_staff):
    client.force_login(home_admin)
    response = client.get(
        reverse("admin:autocomplete"),
        {"term": "", "app_label": "actions", "model_name": "action", "field_name": "owner"},
    )
    assert response.status_code == 404
