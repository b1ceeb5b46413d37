"""Every link in the emails is absolute, on SITE_URL, and opens the page to act on."""

import re

import pytest
from django.core import mail
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from actions.models import Action
from actions.rag import Status
from councils.current import SESSION_KEY
from councils.models import Membership, Role
from tests.browser import html_validator
from tests.factories import CouncilFactory

from .conftest import MONDAY, SITE_URL, html_of, make_action, member, run, signed_in

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s\"<>]+")


def _links(message) -> set[str]:
    return set(URL.findall(message.body)) | set(URL.findall(html_of(message)))


@pytest.fixture
def emails(council, staff, manager):
    make_action(council, staff, day=MONDAY, due_in=-3, title="Overdue")
    make_action(council, staff, day=MONDAY, due_in=-20, updated_days_ago=40, title="Escalate")
    make_action(council, staff, day=MONDAY, status=Status.DELIVERED, title="Delivered")
    run(MONDAY)
    return mail.outbox


def test_every_link_is_absolute_on_the_site_url(emails):
    links = set().union(*(_links(message) for message in emails))
    assert links, "the emails have links"
    for link in links:
        assert link.startswith(f"{SITE_URL}/"), f"{link} is not on {SITE_URL}"
    assert f"{SITE_URL}/reminders/" in links, "every email says where to change how often"
    assert f"{SITE_URL}/actions/mine/" in links


def test_each_link_opens_the_page_where_the_reader_can_act(emails, staff, manager):
    """Followed as the person it was sent to, each link answers a page (not a refusal)."""
    readers = {staff.email: signed_in(staff), manager.email: signed_in(manager)}
    for message in emails:
        (address,) = message.to
        client = readers[address]
        for link in _links(message):
            response = client.get(link.removeprefix(SITE_URL), follow=True)
            assert response.status_code == 200, f"{link} for {address}: {response.status_code}"


def test_owner_links_lead_to_logging_progress_and_sign_off_links_to_signing_off(
    council, staff, manager, emails
):
    owner_digest = next(m for m in emails if m.to == [staff.email])
    overdue = council_action(council, "Overdue")
    link = f"{SITE_URL}/reminders/action/{overdue.pk}/?to=progress"
    assert f"Log progress: {link}" in owner_digest.body
    response = signed_in(staff).get(link.removeprefix(SITE_URL))
    assert response["Location"] == reverse("action_detail", args=[overdue.pk]) + "#log-progress"

    manager_digest = next(m for m in emails if m.subject.startswith("Weekly"))
    delivered = council_action(council, "Delivered")
    link = f"{SITE_URL}/reminders/action/{delivered.pk}/?to=sign-off"
    assert f"Sign off or send back: {link}" in manager_digest.body
    response = signed_in(manager).get(link.removeprefix(SITE_URL))
    assert response["Location"] == reverse("action_sign_off", args=[delivered.pk])


def council_action(council, title):
    return Action.objects.for_council(council).get(title=title)


def test_a_link_switches_to_the_actions_council(council, staff):
    elsewhere = CouncilFactory(name="Aardvark")  # first by name, so current by default
    Membership.objects.create(user=staff, council=elsewhere, role=Role.STAFF)
    action = make_action(council, staff, due_in=-3)
    client = signed_in(staff)

    response = client.get(f"/reminders/action/{action.pk}/?to=progress", follow=True)

    assert response.status_code == 200
    assert client.session[SESSION_KEY] == council.pk
    assert f"You are now working on {council.name}" in response.content.decode()


def test_a_link_to_another_councils_action_is_not_found(council, staff):
    theirs = make_action(CouncilFactory(), member(CouncilFactory()), due_in=-3)

    response = signed_in(staff).get(f"/reminders/action/{theirs.pk}/")

    assert response.status_code == 404


def test_a_link_asks_for_sign_in_first_and_comes_back(action):
    path = f"/reminders/action/{action.pk}/?to=progress"

    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "next=/reminders/action/" in response["Location"]


def test_an_unknown_page_in_a_link_opens_the_action(action, staff):
    response = signed_in(staff).get(f"/reminders/action/{action.pk}/?to=https://evil.example")

    assert response["Location"] == reverse("action_detail", args=[action.pk])


@pytest.mark.parametrize("site_url", ["", "tracker.example.gov.uk", "ftp://tracker.example"])
def test_the_command_refuses_without_a_proper_site_url(settings, site_url):
    settings.SITE_URL = site_url

    with pytest.raises(CommandError, match="SITE_URL must be"):
        run(MONDAY)


def test_the_html_emails_are_valid_html(emails, tmp_path):
    html_validator.require_checker()
    paths = []
    for number, message in enumerate(emails):
        path = tmp_path / f"email-{number}.html"
        path.write_text(html_of(message), encoding="utf-8")
        paths.append(path)
    errors = html_validator.check(paths)
    if errors:
        pytest.fail(html_validator.report(errors), pytrace=False)
