"""Two councils and the people who attack the admin site across them.

- `home_admin`: the council admin of Homeshire (staff status, every model permission);
- `two_council_admin`: staff at Homeshire, admin at Otherby (so also has staff status);
- `superuser_member`: a superuser who also holds a staff membership at Homeshire;
- `home_staff`, `home_manager`: plain members of Homeshire, who its admin may manage;
- `other_staff`: a member of Otherby only;
- `shared_staff`: staff at both councils.
"""

import pytest
from django.contrib.auth.models import Permission

from councils.models import Role
from tests.factories import CouncilFactory, MembershipFactory, UserFactory

ADMIN_APPS = ["councils", "inspections", "actions"]


def council_admin(council, **fields):
    """A council admin as the demo makes one: staff status and every model permission."""
    user = UserFactory(is_staff=True, **fields)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label__in=ADMIN_APPS))
    MembershipFactory(user=user, council=council, role=Role.ADMIN)
    return user


def member(council, role=Role.STAFF, **fields):
    user = UserFactory(**fields)
    MembershipFactory(user=user, council=council, role=role)
    return user


@pytest.fixture
def home(db):
    return CouncilFactory(name="Homeshire")


@pytest.fixture
def other(db):
    return CouncilFactory(name="Otherby")


@pytest.fixture
def home_admin(home):
    return council_admin(home, username="home-admin")


@pytest.fixture
def other_admin(other):
    return council_admin(other, username="other-admin")


@pytest.fixture
def two_council_admin(home, other):
    """Staff at Homeshire and admin at Otherby: Homeshire's admin must not take them over."""
    user = council_admin(other, username="two-council-admin")
    MembershipFactory(user=user, council=home, role=Role.STAFF)
    return user


@pytest.fixture
def superuser_member(home):
    user = UserFactory(username="root", is_staff=True, is_superuser=True)
    MembershipFactory(user=user, council=home, role=Role.STAFF)
    return user


@pytest.fixture
def home_staff(home):
    return member(home, username="home-staff")


@pytest.fixture
def home_manager(home):
    return member(home, Role.MANAGER, username="home-manager")


@pytest.fixture
def other_staff(other):
    return member(other, username="other-staff")


@pytest.fixture
def shared_staff(home, other):
    user = member(home, username="shared-staff")
    MembershipFactory(user=user, council=other, role=Role.STAFF)
    return user


@pytest.fixture
def superuser(db):
    return UserFactory(username="superuser", is_staff=True, is_superuser=True)
