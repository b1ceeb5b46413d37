"""The data generator (python manage.py generate_data): small scale, a few councils.

What it makes must be what the app itself would have written: timelines that
explain each action's status and percent, audit rows for every object, people who
belong to the councils whose actions they own. And it must never mix into real data.
"""

import datetime
import hashlib
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from actions.generator import TABLES, generated_users
from actions.generator.build import LETTER_MARK
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Status
from councils.current import SESSION_KEY
from councils.models import Membership, Role
from inspections.frameworks import framework_on
from inspections.models import GRADED_KINDS, Finding, Inspection, Judgement
from tests.factories import InspectionFactory, MembershipFactory, UserFactory

TODAY = datetime.date(2026, 11, 30)
SMALL = ["--scale", "small", "--councils", "3", "--today", TODAY.isoformat()]


def generate(*extra, seed=1):
    call_command("generate_data", *SMALL, "--seed", str(seed), *extra, verbosity=0)


def digest() -> str:
    """A hash of every row in every table the generator writes, in id order."""
    sha = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in TABLES:
            pk = model._meta.pk.column
            cursor.execute(f"SELECT * FROM {model._meta.db_table} ORDER BY {pk}")  # noqa: S608
            for row in cursor.fetchall():
                sha.update(repr(row).encode())
    return sha.hexdigest()


def wipe() -> None:
    """Delete everything generated (in SQL: the timeline refuses the ORM's deletes)."""
    with connection.cursor() as cursor:
        for model in reversed(TABLES):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def generated(db, debug):
    generate()


def test_the_same_seed_gives_the_same_data(db, debug):
    generate()
    first = digest()
    wipe()
    generate()
    assert digest() == first
    wipe()
    generate(seed=2)
    assert digest() != first


def test_it_makes_every_kind_of_row(generated):
    assert Membership.objects.filter(role=Role.STAFF).exists()
    assert Membership.objects.filter(role=Role.MANAGER).exists()
    assert Membership.objects.filter(role=Role.ADMIN).exists()
    assert Judgement.objects.exists()
    assert Finding.objects.filter(repeats__isnull=False).exists()
    assert Action.objects.filter(contributors__isnull=False).exists()
    statuses = set(Action.objects.values_list("status", flat=True))
    assert {Status.IN_PROGRESS, Status.COMPLETE} <= statuses
    kinds = set(ProgressUpdate.objects.values_list("kind", flat=True))
    assert {UpdateKind.PROGRESS, UpdateKind.SIGNED_OFF} <= kinds
    assert Action.objects.filter(revised_due_date__isnull=False).exists()


def test_every_row_passes_the_models_own_validation(generated):
    # The database has checked its constraints on insert; these are its foreign keys
    # (deferred until commit, which a test never reaches), so that full_clean() below
    # need only run the fields' validators and each model's clean().
    connection.check_constraints()
    for model in (Inspection, Judgement, Finding, Action, ProgressUpdate):
        links = [f.name for f in model._meta.get_fields() if f.is_relation and f.concrete]
        for obj in model.objects.all():
            obj.full_clean(exclude=links, validate_unique=False, validate_constraints=False)


def test_grades_only_on_graded_inspections_and_only_the_areas_of_their_date(generated):
    for inspection in Inspection.objects.prefetch_related("judgements"):
        areas = {judgement.area for judgement in inspection.judgements.all()}
        if inspection.kind in GRADED_KINDS:
            assert areas == set(framework_on(inspection.start_date).areas)
        else:
            assert not areas
        assert inspection.letter_text.startswith(LETTER_MARK)
        assert inspection.start_date < TODAY


def test_repeats_point_to_an_earlier_inspection_of_the_same_council(generated):
    for finding in Finding.objects.filter(repeats__isnull=False).select_related(
        "inspection", "repeats__inspection"
    ):
        assert finding.repeats.inspection.council_id == finding.inspection.council_id
        assert finding.repeats.inspection.start_date < finding.inspection.start_date


def test_each_timeline_explains_its_actions_status_and_percent(generated):
    entries = defaultdict(list)
    for update in ProgressUpdate.objects.order_by("created_at", "id"):
        entries[update.action_id].append(update)
    actions = Action.objects.select_related("finding__inspection")
    assert actions.count() > 50
    for action in actions:
        status, percent = Status.NOT_STARTED, 0
        for update in entries[action.pk]:
            assert (update.previous_status, update.previous_percent) == (status, percent)
            assert update.council_id == action.finding.inspection.council_id
            assert action.created_at < update.created_at < _midnight(TODAY)
            status, percent = update.status, update.percent_complete
        assert (action.status, action.percent_complete) == (status, percent), action.pk
        latest = entries[action.pk][-1].created_at if entries[action.pk] else action.created_at
        assert action.last_progress_at == latest
        if action.status == Status.COMPLETE:
            sign_off = entries[action.pk][-1]
            assert sign_off.kind == UpdateKind.SIGNED_OFF
            assert action.signed_off_by_id == sign_off.author_id != action.owner_id
            assert action.signed_off_at == sign_off.created_at


def test_every_action_finding_and_inspection_has_its_audit_rows(generated):
    for model in (Action, Finding, Inspection):
        created = model.history.filter(history_type="+", history_user__isnull=False)
        assert set(created.values_list("id", flat=True)) == set(
            model.objects.values_list("pk", flat=True)
        )
    saves = defaultdict(int)
    for action_id in Action.history.values_list("id", flat=True):
        saves[action_id] += 1
    for action in Action.objects.all():
        # One save at creation, then one for each timeline entry: the version counts them.
        assert saves[action.pk] == action.version == 1 + action.updates.count()
        latest = Action.history.filter(id=action.pk).latest()
        assert (latest.status, latest.percent_complete, latest.owner_id) == (
            action.status,
            action.percent_complete,
            action.owner_id,
        )


def test_owners_and_authors_belong_to_the_council(generated):
    members = set(Membership.objects.values_list("user_id", "council_id"))
    for action in Action.objects.select_related("finding__inspection"):
        assert (action.owner_id, action.finding.inspection.council_id) in members
    for update in ProgressUpdate.objects.all():
        assert (update.author_id, update.council_id) in members


def test_an_action_page_answers_for_a_generated_member(generated):
    busiest = max(Action.objects.all(), key=lambda action: action.version)
    council = busiest.finding.inspection.council
    member = Membership.objects.filter(council=council, role=Role.MANAGER).first().user
    client = Client()
    client.force_login(member)
    session = client.session
    session[SESSION_KEY] = council.pk
    session.save()
    for action in (busiest, Action.objects.filter(finding__inspection__council=council).last()):
        response = client.get(reverse("action_detail", args=[action.pk]))
        assert response.status_code == 200
        assert action.title in response.content.decode()


def test_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        generate()
    assert not generated_users().exists()


@pytest.mark.parametrize("real", ["user", "inspection"])
def test_refuses_a_database_with_real_data_unless_forced(db, debug, real):
    if real == "user":
        MembershipFactory()
    else:
        InspectionFactory()
    with pytest.raises(CommandError, match="not generated"):
        generate()
    assert not generated_users().exists()
    generate("--force")
    assert generated_users().exists()


def test_a_superuser_of_no_council_is_not_real_data(db, debug):
    UserFactory(is_superuser=True, is_staff=True)
    generate()
    assert Action.objects.exists()


def test_refuses_to_generate_twice(generated):
    with pytest.raises(CommandError, match="already holds generated data"):
        generate("--force")


def _midnight(day):
    from actions.generator.timeline import moment

    return moment(day, 0)
