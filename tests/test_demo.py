"""The demo data: the letters and plans it loads, and that it refuses to run in production."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actions.models import Action, ProgressUpdate
from actions.rag import Rag
from councils.models import User
from inspections.frameworks import Grade
from inspections.models import Finding, Inspection, InspectionKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


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
