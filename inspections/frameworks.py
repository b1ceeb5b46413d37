"""Which judgement areas Ofsted grades, by the date of the inspection.

The one place that knows the history of the frameworks (see docs/domain.md):
- before 2018, the single inspection framework (SIF);
- from January 2018, ILACS with children in care and care leavers judged together;
- from January 2023, ILACS with children in care and care leavers judged apart;
- from April 2026, the same four areas with no overall effectiveness grade.
"""

import datetime
from dataclasses import dataclass

from django.db import models


class JudgementArea(models.TextChoices):
    # ILACS (2018 onwards)
    IMPACT_OF_LEADERS = (
        "impact_of_leaders",
        "The impact of leaders on social work practice with children and families",
    )
    HELP_AND_PROTECTION = (
        "help_and_protection",
        "The experiences and progress of children who need help and protection",
    )
    CHILDREN_IN_CARE_AND_CARE_LEAVERS = (
        "children_in_care_and_care_leavers",
        "The experiences and progress of children in care and care leavers",
    )
    CHILDREN_IN_CARE = "children_in_care", "The experiences and progress of children in care"
    CARE_LEAVERS = "care_leavers", "The experiences and progress of care leavers"
    OVERALL_EFFECTIVENESS = "overall_effectiveness", "Overall effectiveness"
    # Single inspection framework (2013 to 2017)
    SIF_HELP_AND_PROTECTION = "sif_help_and_protection", "Children who need help and protection"
    SIF_LOOKED_AFTER = "sif_looked_after", "Children looked after and achieving permanence"
    SIF_ADOPTION = "sif_adoption", "Adoption performance"
    SIF_CARE_LEAVERS = "sif_care_leavers", "Experiences and progress of care leavers"
    SIF_LEADERSHIP = "sif_leadership", "Leadership, management and governance"


class Grade(models.IntegerChoices):
    """Ofsted's four grades; a higher number is a worse grade, so Max() finds the worst."""

    OUTSTANDING = 1, "Outstanding"
    GOOD = 2, "Good"
    REQUIRES_IMPROVEMENT = 3, "Requires improvement to be good"
    INADEQUATE = 4, "Inadequate"


@dataclass(frozen=True)
class Framework:
    code: str
    name: str
    starts: datetime.date
    areas: tuple[JudgementArea, ...]
    # The SIF worded its third grade "Requires improvement".
    requires_improvement_wording: str = "Requires improvement to be good"

    def grade_label(self, grade: int) -> str:
        if grade == Grade.REQUIRES_IMPROVEMENT:
            return self.requires_improvement_wording
        return Grade(grade).label


A = JudgementArea
FRAMEWORKS = (
    Framework(
        code="sif",
        name="Single inspection framework (2013 to 2017)",
        starts=datetime.date(2013, 11, 1),
        areas=(
            A.SIF_HELP_AND_PROTECTION,
            A.SIF_LOOKED_AFTER,
            A.SIF_ADOPTION,
            A.SIF_CARE_LEAVERS,
            A.SIF_LEADERSHIP,
            A.OVERALL_EFFECTIVENESS,
        ),
        requires_improvement_wording="Requires improvement",
    ),
    Framework(
        code="ilacs_2018",
        name="ILACS (2018 to 2022)",
        starts=datetime.date(2018, 1, 1),
        areas=(
            A.IMPACT_OF_LEADERS,
            A.HELP_AND_PROTECTION,
            A.CHILDREN_IN_CARE_AND_CARE_LEAVERS,
            A.OVERALL_EFFECTIVENESS,
        ),
    ),
    Framework(
        code="ilacs_2023",
        name="ILACS (January 2023 to March 2026)",
        starts=datetime.date(2023, 1, 1),
        areas=(
            A.IMPACT_OF_LEADERS,
            A.HELP_AND_PROTECTION,
            A.CHILDREN_IN_CARE,
            A.CARE_LEAVERS,
            A.OVERALL_EFFECTIVENESS,
        ),
    ),
    Framework(
        code="ilacs_2026",
        name="ILACS (from April 2026, no overall effectiveness grade)",
        starts=datetime.date(2026, 4, 1),
        areas=(A.IMPACT_OF_LEADERS, A.HELP_AND_PROTECTION, A.CHILDREN_IN_CARE, A.CARE_LEAVERS),
    ),
)


def framework_on(date: datetime.date) -> Framework:
    """The framework in force on a date; dates before the SIF get the SIF."""
    current = FRAMEWORKS[0]
    for framework in FRAMEWORKS:
        if date >= framework.starts:
            current = framework
    return current


def areas_on(date: datetime.date) -> tuple[JudgementArea, ...]:
    return framework_on(date).areas
