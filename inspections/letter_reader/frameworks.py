"""The judgement areas of each framework, as plain data for the reader.

The reader has no Django imports, so it cannot use `inspections.frameworks`
(whose areas are Django choices). This is the same history as plain strings:
tests/letters/test_letter_reader.py checks that it stays identical to
`inspections.frameworks.FRAMEWORKS` (codes, start dates, area labels, wording).
"""

import datetime
from dataclasses import dataclass

OVERALL = "Overall effectiveness"
LEADERS = "The impact of leaders on social work practice with children and families"
HELP = "The experiences and progress of children who need help and protection"
CARE_AND_LEAVERS = "The experiences and progress of children in care and care leavers"
CARE = "The experiences and progress of children in care"
LEAVERS = "The experiences and progress of care leavers"
SIF_HELP = "Children who need help and protection"
SIF_LOOKED_AFTER = "Children looked after and achieving permanence"
SIF_ADOPTION = "Adoption performance"
SIF_LEAVERS = "Experiences and progress of care leavers"
SIF_LEADERSHIP = "Leadership, management and governance"


@dataclass(frozen=True)
class FrameworkAreas:
    code: str
    starts: datetime.date
    areas: tuple[str, ...]
    requires_improvement_wording: str = "Requires improvement to be good"


FRAMEWORKS = (
    FrameworkAreas(
        "sif",
        datetime.date(2013, 11, 1),
        (SIF_HELP, SIF_LOOKED_AFTER, SIF_ADOPTION, SIF_LEAVERS, SIF_LEADERSHIP, OVERALL),
        "Requires improvement",
    ),
    FrameworkAreas(
        "ilacs_2018", datetime.date(2018, 1, 1), (LEADERS, HELP, CARE_AND_LEAVERS, OVERALL)
    ),
    FrameworkAreas(
        "ilacs_2023", datetime.date(2023, 1, 1), (LEADERS, HELP, CARE, LEAVERS, OVERALL)
    ),
    FrameworkAreas("ilacs_2026", datetime.date(2026, 4, 1), (LEADERS, HELP, CARE, LEAVERS)),
)


def framework_on(date: datetime.date) -> FrameworkAreas:
    """The framework in force on a date; dates before the SIF get the SIF."""
    current = FRAMEWORKS[0]
    for framework in FRAMEWORKS:
        if date >= framework.starts:
            current = framework
    return current
