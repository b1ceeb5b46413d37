"""The reminders go through a real SMTP server, as in production: plain text and HTML."""

import socket

import pytest
from django.core.management.base import CommandError

from reminders.models import ReminderLog

from .conftest import MONDAY, SITE_URL, make_action, run
from .smtp_server import SMTPServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Improvement Tracker <noreply@tracker.example.gov.uk>"
    return settings


def test_digests_and_escalations_arrive_with_text_and_html_parts(
    smtp_settings, council, staff, manager
):
    make_action(council, staff, day=MONDAY, due_in=-3, title="Fix the front door & rota")
    make_action(council, staff, day=MONDAY, due_in=-20, updated_days_ago=40, title="Escalate")

    with SMTPServer() as server:
        smtp_settings.EMAIL_PORT = server.port
        run(MONDAY)

    by_subject = {item.message["Subject"]: item for item in server.received}
    assert len(by_subject) == 3, sorted(by_subject)
    owner = next(item for subject, item in by_subject.items() if subject.startswith("Your"))
    assert owner.recipients == [staff.email]
    assert owner.sender == "noreply@tracker.example.gov.uk"
    message = owner.message
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Fix the front door & rota" in text, "the plain text is not HTML-escaped"
    assert "Fix the front door &amp; rota" in html
    assert f"{SITE_URL}/reminders/action/" in text and f'href="{SITE_URL}/reminders/' in html
    escalation = next(item for s, item in by_subject.items() if s.startswith("Escalated"))
    assert escalation.recipients == [manager.email]


def test_a_server_that_refuses_leaves_everything_to_the_next_run(
    smtp_settings, council, staff, manager
):
    make_action(council, staff, day=MONDAY, due_in=-3)

    with SMTPServer(refuse_data=True) as server:
        smtp_settings.EMAIL_PORT = server.port
        with pytest.raises(CommandError, match="could not be sent"):
            run(MONDAY)
        assert ReminderLog.objects.count() == 0

        server.refuse_data = False
        run(MONDAY)

    assert len(server.received) == 2, "the owner's digest and the managers' digest"
    assert ReminderLog.objects.count() == 2


def test_no_mail_server_at_all_is_a_failure_to_retry(smtp_settings, council, staff):
    make_action(council, staff, due_in=-3)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        smtp_settings.EMAIL_PORT = closed.getsockname()[1]  # bound, not listening

        with pytest.raises(CommandError, match="1 reminder could not be sent"):
            run()

    assert ReminderLog.objects.count() == 0
