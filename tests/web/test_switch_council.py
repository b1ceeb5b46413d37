"""A person with roles at two councils works on one at a time and can switch."""

import pytest

from councils.current import SESSION_KEY
from councils.models import Role
from tests.factories import ActionFactory, CouncilFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_hats():
    """Staff at Ashford, manager at Brookby, with an action at each."""
    person = UserFactory()
    ashford, brookby = CouncilFactory(name="Ashford"), CouncilFactory(name="Brookby")
    MembershipFactory(user=person, council=ashford, role=Role.STAFF)
    MembershipFactory(user=person, council=brookby, role=Role.MANAGER)
    return {
        "person": person,
        "ashford": ashford,
        "brookby": brookby,
        "ashford_action": ActionFactory(finding__inspection__council=ashford),
        "brookby_action": ActionFactory(finding__inspection__council=brookby),
    }


def test_the_first_council_by_name_is_current_until_they_switch(client, two_hats):
    client.force_login(two_hats["person"])
    assert "Ashford" in client.get("/").content.decode()

    response = client.post("/council/", {"council": two_hats["brookby"].pk})

    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Brookby" in page and "You are now working on Brookby" in page


def test_the_role_follows_the_current_council(client, two_hats):
    client.force_login(two_hats["person"])
    ashford_edit = f"/actions/{two_hats['ashford_action'].pk}/edit/"
    brookby_edit = f"/actions/{two_hats['brookby_action'].pk}/edit/"

    assert client.get(ashford_edit).status_code == 403, "staff at Ashford cannot edit"
    assert client.get(brookby_edit).status_code == 404, "Brookby is not the current council"

    client.post("/council/", {"council": two_hats["brookby"].pk})
    assert client.get(brookby_edit).status_code == 200, "a manager at Brookby can edit"
    assert client.get(ashford_edit).status_code == 404, "Ashford is no longer current"


def test_a_council_they_do_not_belong_to_cannot_be_chosen(client, two_hats):
    elsewhere = CouncilFactory(name="Elsewhere")
    client.force_login(two_hats["person"])

    response = client.post("/council/", {"council": elsewhere.pk})

    assert response.status_code == 200
    assert "Choose a council" in response.content.decode()
    assert "Elsewhere" not in response.content.decode(), "other councils are not even listed"
    assert "Ashford" in client.get("/").content.decode()


def test_a_forged_session_value_falls_back_to_their_own_council(client, two_hats):
    elsewhere = CouncilFactory(name="Elsewhere")
    client.force_login(two_hats["person"])
    session = client.session
    session[SESSION_KEY] = elsewhere.pk
    session.save()

    page = client.get("/").content.decode()

    assert "Elsewhere" not in page and "Ashford" in page
