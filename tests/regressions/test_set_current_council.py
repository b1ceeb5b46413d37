"""set_current_council() itself refuses a council the user does not belong to.

The older test went through the switch form, whose choices already leave other
councils out; a set_current_council() that trusted its caller went unnoticed.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import reverse

from councils.current import (
    SESSION_KEY,
    councils_for,
    current_council,
    current_membership,
    current_role,
    set_current_council,
)
from councils.models import Role
from tests.factories import CouncilFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def request_for(user, chosen=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = SessionStore()
    if chosen is not None:
        request.session[SESSION_KEY] = chosen
    return request


@pytest.fixture
def two_hats():
    person = UserFactory()
    ashford, brookby = CouncilFactory(name="Ashford"), CouncilFactory(name="Brookby")
    MembershipFactory(user=person, council=ashford, role=Role.STAFF)
    MembershipFactory(user=person, council=brookby, role=Role.MANAGER)
    return person, ashford, brookby


def test_a_council_they_do_not_belong_to_is_refused(two_hats):
    person, ashford, _ = two_hats
    elsewhere = CouncilFactory(name="Elsewhere")
    request = request_for(person)
    assert current_council(request) == ashford
    with pytest.raises(Http404):
        set_current_council(request, elsewhere)
    assert SESSION_KEY not in request.session
    assert current_council(request) == ashford, "the cached choice is kept"
    assert current_role(request) == Role.STAFF


def test_their_other_council_is_accepted_and_the_cache_is_cleared(two_hats):
    person, ashford, brookby = two_hats
    request = request_for(person)
    assert (current_council(request), current_role(request)) == (ashford, Role.STAFF)
    set_current_council(request, brookby)
    assert request.session[SESSION_KEY] == brookby.pk
    assert current_council(request) == brookby
    assert current_membership(request).council == brookby
    assert current_role(request) == Role.MANAGER


def test_a_superuser_may_choose_any_council(db):
    boss = UserFactory(is_superuser=True, is_staff=True)
    anywhere = CouncilFactory(name="Anywhere")
    request = request_for(boss)
    assert current_council(request) is None
    set_current_council(request, anywhere)
    assert request.session[SESSION_KEY] == anywhere.pk
    assert current_council(request) == anywhere
    assert current_membership(request) is None
    assert current_role(request) == Role.ADMIN


def test_someone_signed_out_has_no_council_and_cannot_choose_one(db):
    council = CouncilFactory()
    request = request_for(AnonymousUser())
    assert not councils_for(request.user).exists()
    assert current_council(request) is None and current_role(request) is None
    with pytest.raises(Http404):
        set_current_council(request, council)


def test_a_forged_session_value_is_ignored(two_hats):
    person, ashford, _ = two_hats
    elsewhere = CouncilFactory(name="Elsewhere")
    request = request_for(person, chosen=elsewhere.pk)
    assert current_council(request) == ashford
    assert current_role(request) == Role.STAFF


def test_the_chosen_council_is_used(two_hats):
    person, _, brookby = two_hats
    request = request_for(person, chosen=brookby.pk)
    assert current_council(request) == brookby
    assert current_role(request) == Role.MANAGER


def test_councils_for_lists_theirs_by_name(two_hats):
    person, ashford, brookby = two_hats
    CouncilFactory(name="Elsewhere")
    assert list(councils_for(person)) == [ashford, brookby]


def test_someone_without_a_membership_gets_no_council_from_a_forged_session(db):
    stranger = UserFactory()
    elsewhere = CouncilFactory(name="Elsewhere")
    request = request_for(stranger, chosen=elsewhere.pk)
    assert current_membership(request) is None
    assert current_council(request) is None
    assert current_role(request) is None


def test_the_answers_are_kept_for_the_request(two_hats):
    person, ashford, brookby = two_hats
    request = request_for(person)
    assert current_council(request) == ashford
    # A later change to the session is not seen until set_current_council clears the cache.
    request.session[SESSION_KEY] = brookby.pk
    assert current_council(request) == ashford
    assert current_membership(request).council == ashford


@pytest.mark.parametrize(
    ("role", "is_manager"), [(Role.STAFF, False), (Role.MANAGER, True), (Role.ADMIN, True)]
)
def test_pages_know_whether_the_user_is_a_manager_here(db, role, is_manager):
    council = CouncilFactory()
    person = UserFactory()
    MembershipFactory(user=person, council=council, role=role)
    client = Client()
    client.force_login(person)
    response = client.get(reverse("action_list"))
    assert response.status_code == 200
    assert response.context["is_manager"] is is_manager


def test_a_page_about_a_council_is_404_for_someone_without_one(db):
    client = Client()
    client.force_login(UserFactory())
    assert client.get(reverse("action_list")).status_code == 404


def test_a_page_about_a_council_asks_someone_signed_out_to_sign_in(db):
    response = Client().get(reverse("action_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
