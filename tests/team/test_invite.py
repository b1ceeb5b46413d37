"""Inviting someone: the account, the membership, the email and its one-time link."""

import datetime
import re
import smtplib
from unittest import mock

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from councils.models import Membership, Role, User
from councils.services import CANNOT_ADD, NOT_SENT

from .conftest import member, membership_of, work_on

INVITE = "/team/invite/"
PASSWORD = "a-long-and-unusual-passphrase"


def invite(client, **fields):
    data = {
        "first_name": "Priya",
        "last_name": "Shah",
        "email": "priya.shah@example.gov.uk",
        "job_title": "Team manager, Leaving care",
        "role": "staff",
        **fields,
    }
    return client.post(INVITE, data)


def link_in(message) -> str:
    match = re.search(r"http://testserver(/set-password/[^/\s]+/[^/\s]+/)", message.body)
    assert match, f"no set-password link in the email:\n{message.body}"
    return match[1]


def set_password(client, link: str, password: str = PASSWORD):
    """Follow the link as the email's reader would, and set the password."""
    response = client.get(link)
    assert response.status_code == 302, "the link moves its token out of the address"
    form_url = response["Location"]
    page = client.get(form_url)
    assert page.status_code == 200 and page.context["validlink"], "the link works"
    return client.post(form_url, {"new_password1": password, "new_password2": password})


def test_an_invitation_makes_an_account_with_no_password_and_a_membership(
    admin_client, admin, council
):
    response = invite(admin_client)
    assert response.status_code == 302 and response["Location"] == "/team/"
    user = User.objects.get(email="priya.shah@example.gov.uk")
    assert (user.first_name, user.last_name, user.job_title, user.username) == (
        "Priya",
        "Shah",
        "Team manager, Leaving care",
        "priya.shah",
    )
    assert not user.has_usable_password(), "they set their own password"
    assert user.is_active and not user.is_staff and not user.is_superuser
    membership = membership_of(user, council)
    assert membership.role == Role.STAFF
    record = membership.history.get()
    assert (record.history_type, record.history_user, record.history_change_reason) == (
        "+",
        admin,
        "Invited",
    ), "the audit trail says who invited them"
    page = admin_client.get("/team/")
    assert "Priya Shah has been invited as staff" in page.content.decode()


def test_the_invitation_email_has_a_one_time_link_that_sets_a_password(admin_client, council):
    invite(admin_client)
    assert len(mail.outbox) == 1, "one email"
    message = mail.outbox[0]
    assert message.to == ["priya.shah@example.gov.uk"]
    assert str(council) in message.subject
    assert "Your username is: priya.shah" in message.body
    assert "works once, for 3 days" in message.body
    link = link_in(message)

    reader = Client()
    done = set_password(reader, link)
    assert done.status_code == 302 and done["Location"] == "/set-password/done/"
    assert "Your password has been set" in reader.get(done["Location"]).content.decode()
    user = User.objects.get(username="priya.shah")
    assert user.check_password(PASSWORD)
    assert Client().login(username="priya.shah", password=PASSWORD), "they can sign in"

    again = Client().get(link, follow=True)
    assert again.status_code == 200
    assert not again.context["validlink"], "the link works only once"
    assert "This link has expired" in again.content.decode()
    # Nor can the form be sent again with the used token.
    uid = link.split("/")[2]
    resent = Client().post(
        f"/set-password/{uid}/set-password/",
        {"new_password1": "another-long-passphrase", "new_password2": "another-long-passphrase"},
    )
    assert not resent.context["validlink"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD), "the password stays as they set it"


def test_the_link_expires_after_password_reset_timeout(admin_client, settings):
    invite(admin_client)
    link = link_in(mail.outbox[0])
    later = datetime.datetime.now() + datetime.timedelta(
        seconds=settings.PASSWORD_RESET_TIMEOUT + 5
    )
    with mock.patch.object(PasswordResetTokenGenerator, "_now", return_value=later):
        response = Client().get(link, follow=True)
    assert not response.context["validlink"], "an old link does not work"
    assert not User.objects.get(username="priya.shah").has_usable_password()


def test_the_set_password_form_applies_the_password_rules(admin_client):
    invite(admin_client)
    reader = Client()
    link = link_in(mail.outbox[0])
    form_url = reader.get(link)["Location"]
    response = reader.post(form_url, {"new_password1": "short", "new_password2": "short"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "at least 12 characters" in page
    assert 'type="password" name="new_password1"' in page and "govuk-input--error" in page
    mismatch = reader.post(form_url, {"new_password1": PASSWORD, "new_password2": PASSWORD + "x"})
    assert "The two passwords do not match" in mismatch.content.decode()
    assert not User.objects.get(username="priya.shah").has_usable_password()
    assert set_password(reader, link).status_code == 302, "the link still works after a slip"


def test_usernames_are_made_unique(admin_client, council):
    member(council, Role.STAFF, username="priya.shah", email="p.shah@example.org")
    invite(admin_client)
    user = User.objects.get(email="priya.shah@example.gov.uk")
    assert user.username == "priya.shah2"
    assert "Your username is: priya.shah2" in mail.outbox[0].body


def test_an_invitation_that_cannot_be_sent_adds_nobody(admin_client, council):
    before = Membership.objects.count(), User.objects.count()
    with mock.patch("councils.services.send_mail", side_effect=smtplib.SMTPException("down")):
        response = invite(admin_client)
    assert response.status_code == 200
    assert NOT_SENT in response.content.decode()
    assert (Membership.objects.count(), User.objects.count()) == before


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"first_name": ""}, "Enter their first name"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
        ({"role": "superuser"}, "Choose staff, manager or admin"),
        ({"role": ""}, "Choose a role"),
        ({"job_title": "x" * 151}, "The job title must be 150 characters or fewer"),
    ],
)
def test_a_refused_invitation_says_why_and_writes_nothing(admin_client, fields, error):
    before = Membership.objects.count(), User.objects.count()
    response = invite(admin_client, **fields)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and error in page
    assert (Membership.objects.count(), User.objects.count()) == before
    assert mail.outbox == []


def test_no_staff_or_superuser_flag_can_be_sent_along(admin_client):
    invite(admin_client, role="admin", is_staff="on", is_superuser="on")
    user = User.objects.get(email="priya.shah@example.gov.uk")
    assert not user.is_staff and not user.is_superuser


# --- An address that already has an account --------------------------------------------------


def test_someone_the_admin_may_administer_joins_with_their_own_account(
    admin_client, admin, council, other_council
):
    """An admin of two councils adds a member of the other one to this one."""
    Membership.objects.create(user=admin, council=other_council, role=Role.ADMIN)
    colleague = member(other_council, Role.STAFF, email="sam.wood@example.gov.uk")
    work_on(admin_client, council)
    response = invite(admin_client, email="Sam.Wood@EXAMPLE.gov.uk", first_name="Changed")
    assert response.status_code == 302
    membership = membership_of(colleague, council)
    assert membership.role == Role.STAFF
    assert membership.history.get().history_change_reason == "Added to the team"
    colleague.refresh_from_db()
    assert colleague.first_name != "Changed", "their own details are left as they are"
    assert User.objects.filter(email__iexact="sam.wood@example.gov.uk").count() == 1
    (message,) = mail.outbox
    assert "set-password" not in message.body, "they have a password already"
    assert str(council) in message.subject


def test_someone_at_another_council_cannot_be_added_and_nothing_is_said_about_it(
    admin_client, council, outsider, other_council
):
    before = list(Membership.objects.order_by("pk").values())
    response = invite(admin_client, email=outsider.email)
    assert response.status_code == 200
    page = response.content.decode()
    assert CANNOT_ADD in page
    assert other_council.name not in page and str(outsider) not in page
    assert list(Membership.objects.order_by("pk").values()) == before
    assert mail.outbox == []


def test_staff_flagged_and_superuser_accounts_cannot_be_added(admin_client, admin, council):
    from tests.factories import UserFactory

    for flags in ({"is_staff": True}, {"is_superuser": True, "is_staff": True}):
        user = UserFactory(**flags)
        response = invite(admin_client, email=user.email)
        assert CANNOT_ADD in response.content.decode()
        assert not user.memberships.exists()


def test_an_account_with_no_council_cannot_be_added(admin_client):
    from tests.factories import UserFactory

    loner = UserFactory()
    assert CANNOT_ADD in invite(admin_client, email=loner.email).content.decode()
    assert not loner.memberships.exists()


def test_someone_already_on_the_team_is_not_added_twice(admin_client, staff):
    response = invite(admin_client, email=staff.email, role="admin")
    assert f"{staff} is already on the team." in response.content.decode()
    assert staff.memberships.get().role == Role.STAFF


def test_an_inactive_council_takes_no_new_members(admin_client, council):
    council.is_active = False
    council.save()
    assert "no one new can join" in admin_client.get(INVITE).content.decode()
    assert "Invite someone" not in admin_client.get("/team/").content.decode()
    before = Membership.objects.count(), User.objects.count()
    response = invite(admin_client)
    assert response.status_code == 200
    assert "no longer an active council" in response.content.decode()
    assert (Membership.objects.count(), User.objects.count()) == before
    assert mail.outbox == []


def test_a_superuser_may_invite_at_the_council_they_chose(council):
    from tests.factories import UserFactory

    client = Client()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    work_on(client, council)
    assert invite(client).status_code == 302
    assert Membership.objects.filter(council=council, user__username="priya.shah").exists()


# --- A new link for someone whose link expired ----------------------------------------------


def test_a_new_invitation_sends_a_fresh_link(admin_client, council):
    invite(admin_client)
    membership = Membership.objects.get(user__username="priya.shah")
    assert "Send a new invitation" in admin_client.get("/team/").content.decode()
    response = admin_client.post(f"/team/{membership.pk}/invite-again/")
    assert response.status_code == 302
    assert len(mail.outbox) == 2
    assert set_password(Client(), link_in(mail.outbox[1])).status_code == 302
    assert "Send a new invitation" not in admin_client.get("/team/").content.decode()
    refused = admin_client.post(f"/team/{membership.pk}/invite-again/", follow=True)
    assert "has set a password already" in refused.content.decode()
    assert len(mail.outbox) == 2


def test_a_wrong_email_address_is_marked_on_its_input(admin_client):
    page = invite(admin_client, email="not an address").content.decode()
    (email_input,) = re.findall(r'<input[^>]*name="email"[^>]*>', page)
    assert 'type="email"' in email_input and "govuk-input--error" in email_input
