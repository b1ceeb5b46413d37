"""Inspections, judgements and findings: the rules in clean(), the constraints and the trigger."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from inspections.frameworks import Grade, JudgementArea
from inspections.models import Inspection, InspectionKind, Judgement

from .factories import CouncilFactory, FindingFactory, InspectionFactory, JudgementFactory

pytestmark = pytest.mark.django_db

D = datetime.date


def _errors(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        instance.full_clean()
    return caught.value.message_dict


def _refused_by_database(instance) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        instance.save()


# --- Inspection --------------------------------------------------------------------------------


def test_a_standard_inspection_passes_full_clean():
    InspectionFactory.build(council=CouncilFactory()).full_clean()


def test_inspection_cannot_end_before_it_starts():
    inspection = InspectionFactory.build(
        council=CouncilFactory(), start_date=D(2024, 3, 4), end_date=D(2024, 3, 3)
    )
    assert (
        "The last day on site must be on or after the first day." in _errors(inspection)["end_date"]
    )
    _refused_by_database(inspection)


def test_letter_cannot_be_published_before_the_inspection_began():
    inspection = InspectionFactory.build(
        council=CouncilFactory(), start_date=D(2024, 3, 4), published_on=D(2024, 3, 1)
    )
    assert (
        "The letter cannot be published before the inspection began."
        in _errors(inspection)["published_on"]
    )
    _refused_by_database(inspection)


def test_focused_visit_needs_a_theme():
    inspection = InspectionFactory.build(
        council=CouncilFactory(), kind=InspectionKind.FOCUSED_VISIT, focus_theme=""
    )
    assert "Choose the theme the focused visit looked at." in _errors(inspection)["focus_theme"]
    _refused_by_database(inspection)


def test_standard_inspection_cannot_have_a_theme():
    inspection = InspectionFactory.build(council=CouncilFactory(), focus_theme="care_leavers")
    assert (
        "A standard inspection covers every area: leave the theme empty."
        in _errors(inspection)["focus_theme"]
    )
    _refused_by_database(inspection)


def test_only_monitoring_visits_are_numbered():
    inspection = InspectionFactory.build(council=CouncilFactory(), visit_number=2)
    assert "Only monitoring visits are numbered." in _errors(inspection)["visit_number"]
    _refused_by_database(inspection)


def test_monitoring_visit_may_have_a_number_and_a_theme():
    inspection = InspectionFactory.build(
        council=CouncilFactory(), monitoring_visit=True, visit_number=4, focus_theme="care_leavers"
    )
    inspection.full_clean()
    inspection.save()
    assert inspection.title == "Monitoring visit 4"


def test_focused_visit_title_names_its_theme():
    inspection = InspectionFactory(focused_visit=True)
    assert inspection.title == "Focused visit: care leavers"
    assert not inspection.is_graded


def test_database_refuses_an_unknown_kind():
    _refused_by_database(InspectionFactory.build(council=CouncilFactory(), kind="inspection"))


def test_report_url_falls_back_to_the_ofsted_file_id():
    inspection = InspectionFactory.build(ofsted_file_id="50285468")
    assert inspection.ofsted_report_url == "https://files.ofsted.gov.uk/v1/file/50285468"


def test_inspection_with_grades_cannot_become_an_ungraded_visit_in_clean():
    judgement = JudgementFactory()
    inspection = judgement.inspection
    inspection.kind = InspectionKind.MONITORING_VISIT
    assert _errors(inspection)["kind"] == [
        "A monitoring visit has no grades, but this one has 1. Remove the judgements first."
    ]


def test_inspection_cannot_move_to_a_date_whose_framework_lacks_its_judgements():
    judgement = JudgementFactory(area=JudgementArea.CARE_LEAVERS)
    inspection = judgement.inspection
    inspection.start_date, inspection.end_date = D(2019, 1, 14), D(2019, 1, 25)
    inspection.published_on = None
    message = _errors(inspection)["start_date"][0]
    assert message.startswith("Some judgements do not exist under the framework in force")
    assert "ILACS (2018 to 2022)" in message


# --- Judgement ----------------------------------------------------------------------------------


def test_judgement_on_a_standard_inspection_passes_full_clean():
    judgement = Judgement(
        inspection=InspectionFactory(), area=JudgementArea.CARE_LEAVERS, grade=Grade.GOOD
    )
    judgement.full_clean()


@pytest.mark.parametrize(
    ("traits", "kind_label"),
    [
        ({"focused_visit": True}, "focused visit"),
        ({"monitoring_visit": True}, "monitoring visit"),
        ({"kind": InspectionKind.JTAI}, "joint targeted area inspection"),
    ],
)
def test_ungraded_visit_cannot_have_a_judgement(traits, kind_label):
    inspection = InspectionFactory(**traits)
    judgement = Judgement(
        inspection=inspection, area=JudgementArea.IMPACT_OF_LEADERS, grade=Grade.GOOD
    )
    with pytest.raises(ValidationError) as caught:
        judgement.full_clean()
    assert caught.value.messages == [
        f"A {kind_label} is not graded: record its findings, not judgements."
    ]


def test_judgement_area_must_exist_on_the_inspection_date():
    inspection = InspectionFactory(start_date=D(2024, 3, 4))
    judgement = Judgement(
        inspection=inspection,
        area=JudgementArea.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
        grade=Grade.GOOD,
    )
    message = _errors(judgement)["area"][0]
    assert message.startswith(
        "“The experiences and progress of children in care and care leavers” was not a "
        "judgement under the ILACS (January 2023 to March 2026), in force on 4 March 2024."
    )
    assert "The experiences and progress of care leavers" in message


def test_overall_effectiveness_is_refused_from_april_2026():
    inspection = InspectionFactory(start_date=D(2026, 4, 13))
    judgement = Judgement(
        inspection=inspection, area=JudgementArea.OVERALL_EFFECTIVENESS, grade=Grade.GOOD
    )
    assert "was not a judgement under the ILACS (from April 2026" in _errors(judgement)["area"][0]


def test_one_judgement_per_area():
    judgement = JudgementFactory()
    duplicate = Judgement(inspection=judgement.inspection, area=judgement.area, grade=Grade.GOOD)
    _refused_by_database(duplicate)


def test_database_refuses_an_unknown_grade():
    _refused_by_database(
        Judgement(inspection=InspectionFactory(), area="impact_of_leaders", grade=5)
    )


def test_sif_judgement_reads_requires_improvement():
    judgement = JudgementFactory(
        inspection__start_date=D(2016, 1, 11),
        area=JudgementArea.SIF_LEADERSHIP,
        grade=Grade.REQUIRES_IMPROVEMENT,
    )
    assert str(judgement) == "Leadership, management and governance: Requires improvement"


def test_ilacs_judgement_reads_requires_improvement_to_be_good():
    judgement = JudgementFactory(grade=Grade.REQUIRES_IMPROVEMENT)
    assert judgement.grade_label == "Requires improvement to be good"


# --- The database trigger behind Judgement.clean ------------------------------------------------


def test_database_refuses_a_judgement_on_a_focused_visit():
    inspection = InspectionFactory(focused_visit=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgement.objects.create(
            inspection=inspection, area=JudgementArea.IMPACT_OF_LEADERS, grade=Grade.GOOD
        )
    assert not Judgement.objects.filter(inspection=inspection).exists()


def test_database_refuses_moving_a_judgement_onto_a_focused_visit():
    judgement = JudgementFactory()
    visit = InspectionFactory(focused_visit=True, council=judgement.inspection.council)
    with pytest.raises(IntegrityError), transaction.atomic():
        Judgement.objects.filter(pk=judgement.pk).update(inspection=visit)


def test_database_refuses_turning_a_graded_inspection_into_a_monitoring_visit():
    judgement = JudgementFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Inspection.objects.filter(pk=judgement.inspection_id).update(
            kind=InspectionKind.MONITORING_VISIT
        )
    assert Inspection.objects.get(pk=judgement.inspection_id).kind == InspectionKind.STANDARD


def test_database_lets_an_inspection_without_grades_become_a_monitoring_visit():
    # The control for the test above: the trigger looks at judgements, not at the kind alone.
    inspection = InspectionFactory()
    Inspection.objects.filter(pk=inspection.pk).update(kind=InspectionKind.MONITORING_VISIT)
    assert Inspection.objects.get(pk=inspection.pk).kind == InspectionKind.MONITORING_VISIT


def test_database_lets_a_graded_inspection_change_from_standard_to_short():
    judgement = JudgementFactory()
    Inspection.objects.filter(pk=judgement.inspection_id).update(kind=InspectionKind.SHORT)
    assert Inspection.objects.get(pk=judgement.inspection_id).kind == InspectionKind.SHORT


# --- Finding ------------------------------------------------------------------------------------


def test_finding_may_repeat_an_earlier_finding_of_the_same_council():
    earlier = FindingFactory(inspection__start_date=D(2024, 3, 4))
    later = FindingFactory.build(
        inspection=InspectionFactory(
            focused_visit=True, council=earlier.inspection.council, start_date=D(2025, 7, 8)
        ),
        theme=earlier.theme,
        repeats=earlier,
    )
    later.full_clean()


def test_finding_cannot_repeat_another_councils_finding():
    earlier = FindingFactory(inspection__start_date=D(2024, 3, 4))
    later = FindingFactory.build(
        inspection=InspectionFactory(focused_visit=True, start_date=D(2025, 7, 8)),
        theme=earlier.theme,
        repeats=earlier,
    )
    assert _errors(later)["repeats"] == [
        "The earlier finding must come from this council's own inspections."
    ]


def test_finding_may_repeat_a_finding_of_the_council_it_succeeded():
    # Cumbria's findings carry over to Cumberland after the 2023 reorganisation.
    cumberland = CouncilFactory(name="Cumberland")
    cumbria = CouncilFactory(name="Cumbria", is_active=False, successors=[cumberland])
    earlier = FindingFactory(inspection__council=cumbria, inspection__start_date=D(2022, 5, 9))
    later = FindingFactory.build(
        inspection=InspectionFactory(council=cumberland, start_date=D(2024, 9, 2)),
        theme=earlier.theme,
        repeats=earlier,
    )
    later.full_clean()


@pytest.mark.parametrize("earlier_start", [D(2025, 7, 8), D(2025, 9, 1)])
def test_finding_can_only_repeat_a_finding_of_an_earlier_inspection(earlier_start):
    council = CouncilFactory()
    other = FindingFactory(inspection__council=council, inspection__start_date=earlier_start)
    finding = FindingFactory.build(
        inspection=InspectionFactory(council=council, focused_visit=True, start_date=D(2025, 7, 8)),
        theme=other.theme,
        repeats=other,
    )
    assert _errors(finding)["repeats"] == [
        "The earlier finding must come from an inspection before this one."
    ]


def test_finding_cannot_repeat_itself():
    finding = FindingFactory()
    finding.repeats = finding
    assert _errors(finding)["repeats"] == ["A finding cannot repeat itself."]
    _refused_by_database(finding)


def test_finding_positions_are_unique_within_an_inspection():
    finding = FindingFactory()
    _refused_by_database(
        FindingFactory.build(inspection=finding.inspection, theme=None, position=finding.position)
    )


def test_finding_position_starts_at_one():
    _refused_by_database(
        FindingFactory.build(inspection=InspectionFactory(), theme=None, position=0)
    )


def test_finding_history_lists_earlier_findings_most_recent_first():
    council = CouncilFactory()
    first = FindingFactory(inspection__council=council, inspection__start_date=D(2016, 6, 28))
    second = FindingFactory(
        inspection__council=council, inspection__start_date=D(2019, 1, 14), repeats=first
    )
    third = FindingFactory(
        inspection__council=council, inspection__start_date=D(2024, 3, 4), repeats=second
    )
    assert third.repeat_chain() == [second, first]
    assert second.repeat_chain() == [first]
    assert first.repeat_chain() == []


def test_finding_history_stops_at_a_loop():
    # A loop cannot be made through clean(), but a bulk write could make one.
    council = CouncilFactory()
    a = FindingFactory(inspection__council=council)
    b = FindingFactory(inspection__council=council, repeats=a)
    a.repeats = b
    a.save()
    assert b.repeat_chain() == [a]
    assert a.repeat_chain() == [b]


def test_deleting_an_earlier_finding_keeps_the_later_one():
    council = CouncilFactory()
    earlier = FindingFactory(inspection__council=council, inspection__start_date=D(2019, 1, 14))
    later = FindingFactory(inspection__council=council, repeats=earlier)
    earlier.delete()
    later.refresh_from_db()
    assert later.repeats is None
