"""Who gets which reminder, with which actions under which heading."""

import pytest
from django.core import mail

from actions.rag import Status
from councils.models import Membership, Role
from reminders.models import Frequency, ReminderKind, ReminderLog, ReminderPreference
from tests.factories import CouncilFactory

from .conftest import MONDAY, TUESDAY, html_of, make_action, member, run, sent_to

pytestmark = pytest.mark.django_db


def test_an_owner_gets_one_digest_of_overdue_due_soon_and_stale_actions(council, staff):
    overdue = make_action(council, staff, due_in=-3, title="Overdue plan")
    due_soon = make_action(council, staff, due_in=10, title="Due soon plan")
    stale = make_action(council, staff, due_in=90, updated_days_ago=45, title="Stale plan")
    make_action(council, staff, due_in=90, title="On track plan")
    make_action(council, staff, due_in=-30, status=Status.COMPLETE, title="Done plan")
    make_action(council, staff, due_in=-30, status=Status.DELIVERED, title="Delivered plan")

    run(TUESDAY)

    (digest,) = sent_to(staff.email)
    assert digest.subject == (
        "Your actions need an update: 1 overdue, 1 due in the next 14 days, "
        "1 with no update for 30 days"
    )
    body = digest.body
    for action in (overdue, due_soon, stale):
        assert action.title in body, f"{action.title} belongs in the digest"
    for title in ("On track plan", "Done plan", "Delivered plan"):
        assert title not in body, f"{title} needs nothing from its owner"
    # Under their headings, in the order overdue, due soon, no update; with RAG's reasons.
    assert body.index("Overdue\n") < body.index("Overdue plan")
    assert body.index("Due in the next 14 days") < body.index("Due soon plan")
    assert body.index("No update for 30 days") < body.index("Stale plan")
    assert "Red: 3 days overdue" in body
    assert "Amber: due in 10 days" in body
    assert "Amber: no update for 45 days" in body
    assert "3 of your actions need an update" in body
    assert "Overdue plan" in html_of(digest)


def test_blocked_actions_count_when_due_soon_overdue_or_stale_only(council, staff):
    make_action(council, staff, due_in=60, status=Status.BLOCKED, title="Blocked far off")
    make_action(council, staff, due_in=5, status=Status.BLOCKED, title="Blocked due soon")

    run(TUESDAY)

    (digest,) = sent_to(staff.email)
    assert "Blocked due soon" in digest.body
    assert "Blocked far off" not in digest.body


def test_nothing_to_say_sends_nothing(council, staff, manager):
    make_action(council, staff, due_in=60)

    output = run(MONDAY)

    assert mail.outbox == []
    assert ReminderLog.objects.count() == 0
    assert "Owners' digests: 0 sent" in output


def test_an_owner_at_two_councils_gets_one_digest_with_a_part_for_each(council, staff):
    elsewhere = CouncilFactory(name="Elsewhere")
    MembershipFactory = Membership.objects.create
    MembershipFactory(user=staff, council=elsewhere, role=Role.STAFF)
    make_action(council, staff, due_in=-1, title="Here")
    make_action(elsewhere, staff, due_in=-1, title="There")

    run(TUESDAY)

    (digest,) = sent_to(staff.email)
    assert "Here" in digest.body and "There" in digest.body
    assert council.name.upper() in digest.body and "ELSEWHERE" in digest.body
    assert ReminderLog.objects.get().kind == ReminderKind.OWNER_DIGEST


def test_contributors_and_managers_get_no_owner_digest_for_others_actions(
    council, staff, other_staff, manager
):
    action = make_action(council, staff, due_in=-2)
    action.contributors.add(other_staff)

    run(TUESDAY)

    assert [message.to for message in mail.outbox] == [[staff.email]]


def test_inactive_owners_and_people_who_left_get_nothing(council, staff, other_staff):
    make_action(council, staff, due_in=-2)
    make_action(council, other_staff, due_in=-2)
    staff.is_active = False
    staff.save()
    Membership.objects.filter(user=other_staff).delete()  # left the council

    run(TUESDAY)

    assert mail.outbox == []


def test_managers_weekly_digest_goes_on_the_weekly_day_only(council, staff, manager):
    make_action(council, staff, day=MONDAY, due_in=90, title="Green")
    red = make_action(council, staff, day=MONDAY, due_in=-4, title="Late one")
    blocked = make_action(council, staff, day=MONDAY, status=Status.BLOCKED, title="Stuck one")
    delivered = make_action(council, staff, day=MONDAY, status=Status.DELIVERED, title="Done?")
    stale = make_action(council, staff, day=MONDAY, updated_days_ago=31, title="Quiet one")

    run(MONDAY)
    (digest,) = sent_to(manager.email)
    assert digest.subject == (
        f"Weekly exceptions for {council.name}: 2 red, 1 awaiting sign-off, "
        "1 with no update for 30 days"
    )
    body = digest.body
    assert "Green" not in body
    assert body.index("Red: overdue or blocked (2)") < body.index(red.title)
    assert "Red: 4 days overdue. Owner: Priya Shah" in body
    assert "Red: blocked" in body and blocked.title in body
    assert body.index("Delivered, awaiting sign-off (1)") < body.index(delivered.title)
    assert body.index("No update for 30 days (1)") < body.index(stale.title)
    assert ReminderLog.objects.filter(user=manager, kind=ReminderKind.MANAGER_DIGEST).exists()

    mail.outbox.clear()
    run(MONDAY.replace(day=17))  # Tuesday: owners' digests only
    assert sent_to(manager.email) == [], "the managers' digest is weekly"


def test_the_weekly_day_is_configurable(council, staff, manager, settings):
    settings.REMINDERS_WEEKLY_DAY = "tuesday"
    make_action(council, staff, due_in=-4)

    run(MONDAY)
    assert sent_to(manager.email) == []
    run(TUESDAY)
    assert len(sent_to(manager.email)) == 1


def test_council_admins_are_managers_too(council, staff):
    admin = member(council, Role.ADMIN)
    make_action(council, staff, day=MONDAY, due_in=-4)

    run(MONDAY)

    assert len(sent_to(admin.email)) == 1


def test_a_manager_who_owns_actions_gets_both_digests_on_the_weekly_day(council, manager):
    make_action(council, manager, day=MONDAY, due_in=-4)

    run(MONDAY)

    kinds = set(ReminderLog.objects.filter(user=manager).values_list("kind", flat=True))
    assert kinds == {ReminderKind.OWNER_DIGEST, ReminderKind.MANAGER_DIGEST}
    assert len(sent_to(manager.email)) == 2


def test_inactive_managers_and_managers_who_left_get_no_weekly_digest(
    council, staff, manager, second_manager
):
    make_action(council, staff, day=MONDAY, due_in=-4)
    manager.is_active = False
    manager.save()
    Membership.objects.filter(user=second_manager).delete()

    run(MONDAY)

    assert sent_to(manager.email) == [] and sent_to(second_manager.email) == []


def test_a_manager_sees_only_their_own_councils_exceptions(council, staff, manager):
    elsewhere = CouncilFactory(name="Elsewhere")
    elsewhere_staff = member(elsewhere)
    make_action(council, staff, day=MONDAY, due_in=-4, title="Ours")
    make_action(elsewhere, elsewhere_staff, day=MONDAY, due_in=-4, title="Theirs")

    run(MONDAY)

    (digest,) = sent_to(manager.email)
    assert "Ours" in digest.body and "Theirs" not in digest.body


# --- Preferences ---------------------------------------------------------------------------


def _prefer(user, frequency):
    ReminderPreference.objects.update_or_create(user=user, defaults={"frequency": frequency})


def test_weekly_owners_get_their_digest_on_the_weekly_day_only(council, staff):
    _prefer(staff, Frequency.WEEKLY)
    make_action(council, staff, day=MONDAY, due_in=-1)

    run(TUESDAY)
    assert mail.outbox == []
    run(MONDAY)
    (digest,) = sent_to(staff.email)
    assert "You get this email on Mondays" in digest.body


def test_none_means_no_digests_but_escalations_still_reach_managers(council, staff, manager):
    _prefer(staff, Frequency.NONE)
    _prefer(manager, Frequency.NONE)
    late = make_action(council, staff, day=MONDAY, due_in=-20, updated_days_ago=40)

    run(MONDAY)

    assert sent_to(staff.email) == [], "the owner chose no digests"
    (escalation,) = sent_to(manager.email)
    assert escalation.subject.startswith("Escalated to you")
    assert late.title in escalation.body
    assert not ReminderLog.objects.filter(kind=ReminderKind.MANAGER_DIGEST).exists()
