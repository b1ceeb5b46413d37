"""Which judgement areas Ofsted grades, by the date of the inspection."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspections.frameworks import Grade, JudgementArea, areas_on, framework_on

A = JudgementArea
D = datetime.date

SIF_AREAS = (
    A.SIF_HELP_AND_PROTECTION,
    A.SIF_LOOKED_AFTER,
    A.SIF_ADOPTION,
    A.SIF_CARE_LEAVERS,
    A.SIF_LEADERSHIP,
    A.OVERALL_EFFECTIVENESS,
)
ILACS_2018_AREAS = (
    A.IMPACT_OF_LEADERS,
    A.HELP_AND_PROTECTION,
    A.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
    A.OVERALL_EFFECTIVENESS,
)
ILACS_2023_AREAS = (
    A.IMPACT_OF_LEADERS,
    A.HELP_AND_PROTECTION,
    A.CHILDREN_IN_CARE,
    A.CARE_LEAVERS,
    A.OVERALL_EFFECTIVENESS,
)
ILACS_2026_AREAS = (A.IMPACT_OF_LEADERS, A.HELP_AND_PROTECTION, A.CHILDREN_IN_CARE, A.CARE_LEAVERS)


@pytest.mark.parametrize(
    ("date", "code", "areas"),
    [
        (D(2016, 6, 28), "sif", SIF_AREAS),
        (D(2019, 1, 14), "ilacs_2018", ILACS_2018_AREAS),
        (D(2024, 3, 4), "ilacs_2023", ILACS_2023_AREAS),
        (D(2026, 9, 1), "ilacs_2026", ILACS_2026_AREAS),
    ],
)
def test_judgement_areas_depend_on_the_date(date, code, areas):
    assert framework_on(date).code == code
    assert areas_on(date) == areas


@pytest.mark.parametrize(
    ("date", "code"),
    [
        (D(2013, 10, 31), "sif"),  # before the SIF began: still judged against the SIF
        (D(2013, 11, 1), "sif"),
        (D(2017, 12, 31), "sif"),
        (D(2018, 1, 1), "ilacs_2018"),
        (D(2022, 12, 31), "ilacs_2018"),
        (D(2023, 1, 1), "ilacs_2023"),
        (D(2026, 3, 31), "ilacs_2023"),
        (D(2026, 4, 1), "ilacs_2026"),
    ],
)
def test_framework_changes_exactly_on_its_first_day(date, code):
    assert framework_on(date).code == code


def test_children_in_care_and_care_leavers_are_one_judgement_from_2018_to_2022():
    areas = areas_on(D(2022, 12, 31))
    assert A.CHILDREN_IN_CARE_AND_CARE_LEAVERS in areas
    assert A.CHILDREN_IN_CARE not in areas
    assert A.CARE_LEAVERS not in areas


def test_children_in_care_and_care_leavers_are_judged_apart_from_january_2023():
    areas = areas_on(D(2023, 1, 1))
    assert A.CHILDREN_IN_CARE in areas
    assert A.CARE_LEAVERS in areas
    assert A.CHILDREN_IN_CARE_AND_CARE_LEAVERS not in areas


def test_overall_effectiveness_is_graded_until_31_march_2026():
    assert A.OVERALL_EFFECTIVENESS in areas_on(D(2026, 3, 31))


def test_no_overall_effectiveness_from_1_april_2026():
    assert A.OVERALL_EFFECTIVENESS not in areas_on(D(2026, 4, 1))
    assert len(areas_on(D(2026, 4, 1))) == 4


def test_sif_words_the_third_grade_requires_improvement():
    assert framework_on(D(2016, 6, 28)).grade_label(Grade.REQUIRES_IMPROVEMENT) == (
        "Requires improvement"
    )


def test_ilacs_words_the_third_grade_requires_improvement_to_be_good():
    assert framework_on(D(2024, 3, 4)).grade_label(Grade.REQUIRES_IMPROVEMENT) == (
        "Requires improvement to be good"
    )


@pytest.mark.parametrize(
    ("grade", "label"),
    [(Grade.OUTSTANDING, "Outstanding"), (Grade.GOOD, "Good"), (Grade.INADEQUATE, "Inadequate")],
)
def test_other_grades_are_worded_the_same_in_every_framework(grade, label):
    assert framework_on(D(2016, 1, 1)).grade_label(grade) == label
    assert framework_on(D(2024, 1, 1)).grade_label(grade) == label


def test_a_higher_grade_number_is_a_worse_grade():
    assert Grade.OUTSTANDING < Grade.GOOD < Grade.REQUIRES_IMPROVEMENT < Grade.INADEQUATE


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2040, 12, 31)))
def test_areas_on_any_date_follow_the_history_of_the_frameworks(date):
    areas = set(areas_on(date))
    assert (A.OVERALL_EFFECTIVENESS in areas) == (date < D(2026, 4, 1))
    assert (A.CHILDREN_IN_CARE_AND_CARE_LEAVERS in areas) == (D(2018, 1, 1) <= date < D(2023, 1, 1))
    assert (A.CARE_LEAVERS in areas) == (date >= D(2023, 1, 1))
    assert (A.SIF_LEADERSHIP in areas) == (date < D(2018, 1, 1))
    assert (A.IMPACT_OF_LEADERS in areas) == (date >= D(2018, 1, 1))
