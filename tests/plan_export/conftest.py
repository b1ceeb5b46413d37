"""Fixtures for the board export: a plan with every RAG colour, and signed-in members.

build_plan() (tests/web/conftest.py) makes a graded inspection with findings and
actions of every status; here it is given a council, a finding text of Ofsted's
own, and a latest update on each action.
"""

import pytest

from councils.models import Role
from tests.factories import CouncilFactory, InspectionFactory, MembershipFactory, UserFactory
from tests.web.conftest import build_plan, signed_in


@pytest.fixture
def plan(council, staff):
    """Two findings (the first an area for priority action) with four actions each."""
    return build_plan(council, findings=2, actions_per_finding=4, owner=staff)


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def other_council(db):
    return CouncilFactory(name="Elsewhere")


@pytest.fixture
def other_inspection(other_council):
    return InspectionFactory(council=other_council)


@pytest.fixture
def member_of(db):
    """member_of(council, role): a signed-in client for a new member of that council."""

    def make(council, role=Role.STAFF):
        user = UserFactory()
        MembershipFactory(user=user, council=council, role=role)
        return signed_in(user)

    return make
