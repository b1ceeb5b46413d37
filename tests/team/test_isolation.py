"""Another council's people are a 404 on every Team URL, for every role, and never change.

The member URLs come from the URL conf (every pattern named team_* that takes an id),
so a Team page added later is checked too.
"""

import re

import pytest
from django.urls import get_resolver

from councils.models import Membership, Role, User
from tests.factories import UserFactory

from .conftest import member, membership_of, signed_in, work_on

MISSING = 987654321


def team_member_routes() -> list[str]:
    routes = []
    for entry in get_resolver().url_patterns:
        for inner in getattr(entry, "url_patterns", [entry]):
            name = getattr(inner, "name", "") or ""
            route = str(inner.pattern)
            if name.startswith("team_") and "<" in route:
                routes.append(route)
    return routes


def test_the_member_routes_are_found():
    assert {"team/<int:pk>/role/", "team/<int:pk>/remove/"} <= set(team_member_routes())


def fingerprint(council):
    return (
        list(Membership.objects.filter(council=council).order_by("pk").values()),
        list(
            User.objects.filter(memberships__council=council)
            .order_by("pk")
            .values("pk", "email", "password", "is_active", "is_staff", "is_superuser")
        ),
        Membership.history.filter(council_id=council.pk).count(),
    )


@pytest.mark.parametrize("role", [Role.STAFF, Role.MANAGER, Role.ADMIN, "superuser"])
def test_another_councils_member_is_a_404_everywhere(council, other_council, outsider, role):
    if role == "superuser":
        user = UserFactory(is_superuser=True)
        client = signed_in(user)
        work_on(client, council)
    else:
        client = signed_in(member(council, role))
    theirs = membership_of(outsider, other_council)
    before = fingerprint(other_council)
    for route in team_member_routes():
        for pk in (theirs.pk, MISSING):
            url = "/" + re.sub(r"<int:pk>", str(pk), route)
            for method, data in (("get", None), ("post", {"role": "admin"})):
                response = getattr(client, method)(url, data)
                assert response.status_code == 404, (
                    f"{role}: {method.upper()} {url} answered {response.status_code}"
                )
    for page in ("/team/", "/team/invite/"):
        response = client.get(page)
        if response.status_code == 200:
            assert str(outsider) not in response.content.decode()
            assert other_council.name not in response.content.decode()
    assert fingerprint(other_council) == before
