"""Who holds which role where (councils/roles.py): the ladder staff < manager < admin.

Written for the mutation run (docs/testing.md): a manager must not pass for an admin,
and something that is not a user at all has no role.
"""

import pytest
from django.contrib.auth.models import AnonymousUser

from councils.models import Role
from councils.roles import has_role, keeps_records_of, role_at
from tests.factories import CouncilFactory, UserFactory

from .conftest import member

pytestmark = pytest.mark.django_db

LADDER = [Role.STAFF, Role.MANAGER, Role.ADMIN]


@pytest.mark.parametrize("held", LADDER)
@pytest.mark.parametrize("minimum", LADDER)
def test_each_role_passes_for_itself_and_the_roles_below(council, held, minimum):
    person = member(council, held)
    assert role_at(person, council) == held
    assert has_role(person, council, minimum) == (LADDER.index(held) >= LADDER.index(minimum))


def test_a_role_at_one_council_is_nothing_at_another(council):
    person = member(council, Role.ADMIN)
    elsewhere = CouncilFactory()
    assert role_at(person, elsewhere) is None
    assert not any(has_role(person, elsewhere, minimum) for minimum in LADDER)


@pytest.mark.parametrize("nobody", [None, AnonymousUser()], ids=["none", "anonymous"])
def test_nobody_has_a_role(council, nobody):
    assert role_at(nobody, council) is None
    assert not has_role(nobody, council, Role.STAFF)


def test_a_superuser_is_an_admin_everywhere(council):
    boss = UserFactory(is_superuser=True)
    assert role_at(boss, council) == Role.ADMIN
    assert has_role(boss, CouncilFactory(), Role.ADMIN)


# --- Who keeps a council's records: its admins, and the admins of a council that took over ---


@pytest.fixture
def merged(council):
    """A council that merged into `council`."""
    return CouncilFactory(is_active=False, successors=[council])


@pytest.mark.parametrize(
    ("where", "role", "keeps"),
    [
        ("own", Role.ADMIN, True),
        ("own", Role.MANAGER, False),
        ("successor", Role.ADMIN, True),
        ("successor", Role.MANAGER, False),
        ("unrelated", Role.ADMIN, False),
    ],
)
def test_records_are_kept_by_admins_of_the_council_or_its_successor(
    council, merged, where, role, keeps
):
    at = {"own": merged, "successor": council, "unrelated": CouncilFactory()}[where]
    person = member(at, role)
    assert keeps_records_of(person, merged) is keeps


def test_a_predecessors_admin_does_not_keep_the_successors_records(council, merged):
    assert not keeps_records_of(member(merged, Role.ADMIN), council)
