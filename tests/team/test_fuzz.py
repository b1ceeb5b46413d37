"""Hypothesis fills the Team pages' forms with hostile and with plausible input, as an admin.

tests/fuzz/ fuzzes the forms a staff member and a manager see; these are the admin's.
The forms are found by reading the pages, with the same parser. Whatever is sent:
never a server error; a refused form writes nothing; an accepted one wrote exactly
what was sent (one membership, at this council, with the role chosen) and nothing else.
"""

import pytest
from django.core import mail
from hypothesis import given
from hypothesis import strategies as st

from councils.models import Membership, Role, User
from tests.fuzz.test_forms_and_filters import (
    CURRENT,
    EXAMPLES,
    PLAUSIBLE_EXAMPLES,
    FormParser,
    plausible_submissions,
    submissions,
)

from .conftest import member, membership_of

pytestmark = pytest.mark.django_db


def everything():
    return (
        list(Membership.objects.order_by("pk").values()),
        list(User.objects.order_by("pk").values()),
        Membership.history.count(),
    )


def team_forms(client, pages) -> dict[str, tuple[str, dict]]:
    found = {}
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        parser = FormParser()
        parser.feed(response.content.decode())
        for form in parser.forms:
            if form["method"] == "post" and form["fields"] and form["action"] != "/sign-out/":
                found.setdefault(form["action"] or page, (page, form["fields"]))
    return found


@pytest.fixture
def team(council, admin, staff, manager, other_council, outsider):
    return {"target": membership_of(staff, council)}


def pages(team):
    target = team["target"].pk
    return ["/team/", "/team/invite/", f"/team/{target}/role/", f"/team/{target}/remove/"]


def check_written(url, data, before, council, target):
    memberships_before = {row["id"]: row for row in before[0]}
    after = {row["id"]: row for row in Membership.objects.values()}
    if url == "/team/invite/":
        added = after.keys() - memberships_before.keys()
        assert len(added) == 1 and memberships_before.keys() <= after.keys(), added
        for pk, row in memberships_before.items():
            assert after[pk] == row, f"inviting changed membership {pk}"
        new = Membership.objects.select_related("user").get(pk=added.pop())
        email = User.objects.normalize_email(str(data["email"]).strip())
        assert (new.council_id, new.role, new.user.email.lower()) == (
            council.pk,
            data["role"],
            email.lower(),
        )
        assert not new.user.is_staff and not new.user.is_superuser
        assert mail.outbox[-1].to == [new.user.email]
        return
    assert url == f"/team/{target.pk}/role/", f"POST {url} redirected: no rule for what it writes"
    assert after.keys() == memberships_before.keys()
    for pk, row in memberships_before.items():
        expected = {**row, "role": data["role"]} if pk == target.pk else row
        assert after[pk] == expected, f"POST {url} {data!r:.200} wrote something else"
    users_before = before[1]
    assert list(User.objects.order_by("pk").values()) == users_before


def test_the_team_forms_are_found(admin_client, team):
    found = team_forms(admin_client, pages(team))
    assert {"/team/invite/", f"/team/{team['target'].pk}/role/"} <= found.keys()


def test_no_submission_is_a_server_error_or_half_written(admin_client, admin, team, council):
    for url, (_, fields) in sorted(team_forms(admin_client, pages(team)).items()):
        _fuzz(admin_client, admin, url, fields, council, team["target"])


def _fuzz(client, admin, url, fields, council, target):
    @EXAMPLES
    @given(data=submissions(fields))
    def submit(data):
        client.force_login(admin)
        before = everything()
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404), (
            f"POST {url} answered {response.status_code}"
        )
        if response.status_code == 302:
            check_written(url, data, before, council, target)
        else:
            assert everything() == before, f"POST {url} was refused but changed data"

    submit()


emails = st.one_of(
    st.emails(),
    st.sampled_from(["new.person@example.gov.uk", " Padded@Example.gov.uk "]),
    st.builds(lambda n: f"person{n}@example.gov.uk", st.integers(0, 10**6)),
)


def test_mostly_valid_submissions_write_exactly_what_was_sent(
    admin_client, admin, team, council, outsider
):
    accepted = set()
    known = st.sampled_from([outsider.email, admin.email])
    for url, (_, fields) in sorted(team_forms(admin_client, pages(team)).items()):
        if _fuzz_plausibly(admin_client, admin, url, fields, council, team["target"], known):
            accepted.add(url)
    assert {"/team/invite/", f"/team/{team['target'].pk}/role/"} <= accepted, accepted
    assert not outsider.memberships.exclude(council__name="Elsewhere").exists(), (
        "another council's member was never added"
    )


def _fuzz_plausibly(client, admin, url, fields, council, target, known) -> bool:
    accepted = []

    @PLAUSIBLE_EXAMPLES
    @given(drawn=plausible_submissions(fields), email=st.one_of(emails, emails, known))
    def submit(drawn, email):
        client.force_login(admin)
        data = {
            name: fields[name]["value"] if value is CURRENT else value
            for name, value in drawn.items()
        }
        data = {name: value for name, value in data.items() if value is not None}
        if "email" in fields:
            data["email"] = email
        before = everything()
        response = client.post(url, data)
        assert response.status_code in (200, 302, 400, 403, 404)
        if response.status_code == 302:
            check_written(url, data, before, council, target)
            accepted.append(url)
        else:
            assert everything() == before, f"POST {url} was refused but changed data"

    submit()
    return bool(accepted)


def test_roles_stay_within_staff_manager_and_admin(admin_client, council, team):
    person = member(council, Role.STAFF)
    for role in Role.values:
        admin_client.post(f"/team/{membership_of(person, council).pk}/role/", {"role": role})
        assert membership_of(person, council).role == role


def test_the_set_password_form_takes_any_input_calmly(admin_client, team):
    from django.test import Client

    from .test_invite import invite, link_in

    invite(admin_client)
    reader = Client()
    form_url = reader.get(link_in(mail.outbox[-1]))["Location"]
    (_, fields), *_ = team_forms(reader, [form_url]).values()
    user = User.objects.get(username="priya.shah")

    @EXAMPLES
    @given(data=submissions(fields))
    def submit(data):
        before = User.objects.get(pk=user.pk).password
        response = reader.post(form_url, data)
        assert response.status_code in (200, 302)
        user.refresh_from_db()
        if response.status_code == 302:
            assert user.check_password(data["new_password1"])
        else:
            assert user.password == before, f"{data!r:.200} was refused but set"

    submit()
