"""The demo data: the letters and plans it loads, and that it refuses to run in production.

Its history is dated across the plan's life, not at the moment it loaded: the
timeline, the audit rows and every other timestamp agree with one another.
"""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalChanges

from actions.audit import action_history
from actions.models import Action, ProgressUpdate
from actions.rag import Rag
from councils.models import Membership, User
from inspections.frameworks import Grade
from inspections.models import Finding, Inspection, InspectionKind, Judgement

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    """Loads the demo; gives the moment it started loading."""
    settings.DEBUG = True
    loaded_at = timezone.now()
    call_command("load_demo", stdout=StringIO())
    return loaded_at


def _cambridgeshire_2024():
    return Inspection.objects.get(council__dfe_la_code="873", start_date=datetime.date(2024, 3, 4))


def test_demo_loads_cambridgeshire_2024_standard_inspection_graded_requires_improvement(demo):
    inspection = _cambridgeshire_2024()
    assert inspection.kind == InspectionKind.STANDARD
    grades = list(inspection.judgements.values_list("grade", flat=True))
    assert grades == [Grade.REQUIRES_IMPROVEMENT] * 5
    assert {j.grade_label for j in inspection.judgements.all()} == {
        "Requires improvement to be good"
    }
    assert inspection.findings.count() == 7


def test_demo_loads_cambridgeshire_2025_focused_visit_on_care_leavers(demo):
    visit = Inspection.objects.get(council__dfe_la_code="873", kind=InspectionKind.FOCUSED_VISIT)
    assert (visit.start_date, visit.published_on, visit.focus_theme) == (
        datetime.date(2025, 7, 8),
        datetime.date(2025, 8, 29),
        "care_leavers",
    )
    assert visit.ofsted_report_url == "https://files.ofsted.gov.uk/v1/file/50285468"
    assert not visit.judgements.exists()
    assert visit.findings.count() == 4


def test_demo_2025_findings_repeat_two_findings_of_2024(demo):
    earlier = _cambridgeshire_2024()
    repeating = Finding.objects.filter(
        inspection__kind=InspectionKind.FOCUSED_VISIT,
        inspection__council__dfe_la_code="873",
        repeats__isnull=False,
    ).select_related("repeats__inspection")
    assert sorted((f.position, f.repeats.position) for f in repeating) == [(3, 5), (4, 2)]
    assert {f.repeats.inspection for f in repeating} == {earlier}


def test_demo_loads_leicester_2016_fourth_monitoring_visit(demo):
    visit = Inspection.objects.get(council__dfe_la_code="856")
    assert (visit.kind, visit.visit_number, visit.start_date) == (
        InspectionKind.MONITORING_VISIT,
        4,
        datetime.date(2016, 6, 28),
    )
    assert visit.title == "Monitoring visit 4"
    assert visit.findings.count() == 4


def test_demo_shows_every_rag_colour(demo):
    colours = set(Action.objects.with_rag().values_list("rag_code", flat=True))
    assert colours == {rag.value for rag in Rag}


def test_demo_actions_agree_with_their_python_rating(demo):
    for action in Action.objects.with_rag():
        assert action.rag_code == action.assess().rag.value, action


def test_demo_users_belong_to_their_councils(demo):
    assert User.objects.get(username="demo.manager").memberships.get().council.dfe_la_code == "873"
    assert User.objects.get(username="demo.leicester").memberships.get().council.dfe_la_code == (
        "856"
    )


def test_running_the_demo_twice_does_not_duplicate_it(demo):
    counts = (
        Inspection.objects.count(),
        Finding.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        User.objects.count(),
    )
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert (
        Inspection.objects.count(),
        Finding.objects.count(),
        Action.objects.count(),
        ProgressUpdate.objects.count(),
        User.objects.count(),
    ) == counts


def test_demo_refuses_to_run_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="run it with DEBUG on"):
        call_command("load_demo", stdout=StringIO())
    assert not User.objects.filter(username__startswith="demo.").exists()
    assert not Inspection.objects.exists()


# Its history, dated across the plan's life


def _timestamps_since(moment) -> dict:
    """For every date-and-time column in the database, how many rows are dated after `moment`."""
    counts = {}
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField):
                rows = model._base_manager.filter(**{f"{field.name}__gte": moment})
                counts[f"{model._meta.label}.{field.name}"] = rows.count()
    return counts


def test_nothing_the_demo_writes_is_dated_at_loading(settings):
    """No timestamp anywhere (timeline, audit rows, created_at...) is the moment it loaded."""
    settings.DEBUG = True
    # Its latest entry is two days old: nothing it writes is dated within the last day.
    since = timezone.now() - datetime.timedelta(days=1)
    before = _timestamps_since(since)

    call_command("load_demo", stdout=StringIO())

    assert ProgressUpdate.objects.exists()
    assert _timestamps_since(since) == before


def test_every_audit_table_has_rows_and_none_dated_at_loading(demo):
    history_models = [m for m in apps.get_models() if issubclass(m, HistoricalChanges)]
    written = {m._meta.label for m in history_models if m.objects.exists()}
    assert {
        "actions.HistoricalAction",
        "inspections.HistoricalInspection",
        "inspections.HistoricalJudgement",
        "inspections.HistoricalFinding",
        "councils.HistoricalMembership",
    } <= written
    recent = demo - datetime.timedelta(minutes=1)
    for model in history_models:
        assert not model.objects.filter(history_date__gte=recent).exists(), model


def test_each_audit_row_of_an_action_matches_the_timeline_entry_that_caused_it(demo):
    actions = Action.objects.all()
    assert actions.count() == 26
    for action in actions:
        rows = list(Action.history.filter(id=action.pk).order_by("history_id"))
        updates = list(action.updates.order_by("created_at", "id"))
        created, changes = rows[0], rows[1:]
        assert created.history_type == "+"
        # Saved in the order they are dated: the trail reads the same by date or by save.
        assert [r.history_date for r in rows] == sorted(r.history_date for r in rows), action
        assert [u.created_at for u in updates] == sorted({u.created_at for u in updates})
        assert len(changes) == len(updates), action
        for row, update in zip(changes, updates, strict=True):
            assert row.history_type == "~"
            assert row.history_date == update.created_at, (action, update)
            assert row.history_change_reason == update.get_kind_display()
            assert row.history_user_id == update.author_id
            assert (row.status, row.percent_complete) == (update.status, update.percent_complete)
            assert row.updated_at == update.created_at


def test_each_action_is_created_before_its_timeline_and_after_its_letter(demo):
    for action in Action.objects.select_related("finding__inspection", "owner"):
        created = Action.history.get(id=action.pk, history_type="+")
        assert action.created_at == created.history_date
        assert created.history_user is not None, "the manager who entered the plan is named"
        first = action.updates.order_by("created_at").first()
        if first is not None:
            assert action.created_at < first.created_at, action
        inspection = action.finding.inspection
        entered = Inspection.history.get(id=inspection.pk, history_type="+").history_date
        assert inspection.published_on < timezone.localdate(entered)
        assert entered < action.created_at
        assert action.owner.date_joined < entered


def test_the_timeline_dates_what_it_changed(demo):
    for action in Action.objects.all():
        updates = list(action.updates.order_by("created_at"))
        latest = updates[-1].created_at if updates else action.created_at
        assert action.last_progress_at == latest
        assert action.updated_at == latest
        if action.status == "complete":
            assert action.signed_off_at == updates[-1].created_at
            assert updates[-1].kind == "signed_off"


def test_letters_are_entered_by_an_admin_with_their_judgements_and_findings(demo):
    admin = User.objects.get(username="demo.admin")
    inspection = _cambridgeshire_2024()
    entered = inspection.history.get(history_type="+")
    assert (entered.history_user, entered.history_date) == (admin, inspection.created_at)
    rows = [
        *Judgement.history.filter(inspection_id=inspection.pk),
        *Finding.history.filter(inspection_id=inspection.pk),
    ]
    assert len(rows) == 5 + 7
    for row in rows:
        assert row.history_user == admin
        assert entered.history_date < row.history_date
        assert row.history_date - entered.history_date < datetime.timedelta(hours=1)
    first_action = Action.objects.filter(finding__inspection=inspection).order_by("created_at")[0]
    assert max(row.history_date for row in rows) < first_action.created_at


def test_people_join_before_they_act(demo):
    for membership in Membership.objects.filter(user__username__startswith="demo."):
        joined = membership.history.get(history_type="+").history_date
        assert joined == membership.created_at == membership.user.date_joined
        acted = ProgressUpdate.objects.filter(author=membership.user).order_by("created_at")
        if acted.exists():
            assert joined < acted[0].created_at


def test_the_history_spreads_over_the_plans_life(demo):
    """A plan some months in: its entries and audit lines fall on many different days."""
    cambridgeshire = Action.objects.filter(finding__inspection__council__dfe_la_code="873")
    days = {
        timezone.localdate(moment)
        for moment in ProgressUpdate.objects.filter(action__in=cambridgeshire).values_list(
            "created_at", flat=True
        )
    }
    assert len(days) >= 25
    assert max(days) - min(days) >= datetime.timedelta(days=180)
    audit_days = {
        timezone.localdate(change.when)
        for action in cambridgeshire
        for change in action_history(action)
    }
    assert len(audit_days) >= 25
    assert max(audit_days) - min(audit_days) >= datetime.timedelta(days=200)
    assert timezone.localdate(demo) - max(audit_days) >= datetime.timedelta(days=2)
    leicester = Action.objects.filter(finding__inspection__council__dfe_la_code="856")
    assert all(action.created_at.year < 2018 for action in leicester)
