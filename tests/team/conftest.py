"""Fixtures for the Team pages: a council with an admin, and another council with its people.

The council and its staff and manager come from tests/conftest.py.
"""

import pytest
from django.test import Client

from councils.models import Role
from tests.factories import CouncilFactory, MembershipFactory, UserFactory


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def member(council, role, **user_fields):
    user = UserFactory(**user_fields)
    MembershipFactory(user=user, council=council, role=role)
    return user


@pytest.fixture
def admin(council):
    return member(council, Role.ADMIN, first_name="Alex", last_name="Morgan")


@pytest.fixture
def second_admin(council):
    return member(council, Role.ADMIN, first_name="Jo", last_name="Banks")


@pytest.fixture
def admin_client(admin):
    return signed_in(admin)


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Elsewhere")


@pytest.fixture
def outsider(other_council):
    """A member of another council only."""
    return member(other_council, Role.STAFF, first_name="Olu", last_name="Outside")


def membership_of(user, council):
    return user.memberships.get(council=council)


def work_on(client, council):
    """Make `council` the client's current council (as the header's Change link does)."""
    from councils.current import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = council.pk
    session.save()
