"""Demo letters, written for this project in Ofsted's style from public facts.

Illustrative only: the findings follow what was reported about these visits,
but the wording, dates within a month and inspector names are ours.
"""

import datetime

CAMBRIDGESHIRE_2024 = {
    "council_code": "873",
    "kind": "standard",
    "start_date": datetime.date(2024, 3, 4),
    "end_date": datetime.date(2024, 3, 15),
    "published_on": datetime.date(2024, 5, 3),
    "lead_inspector": "Helen Carter, His Majesty's Inspector",
    "grades": {
        "impact_of_leaders": 3,
        "help_and_protection": 3,
        "children_in_care": 3,
        "care_leavers": 3,
        "overall_effectiveness": 3,
    },
    "letter_text": (
        "Cambridgeshire County Council\n"
        "Inspection of children's social care services\n"
        "Inspection dates: 4 to 15 March 2024\n"
        "Lead inspector: Helen Carter, His Majesty's Inspector\n\n"
        "Judgement: Requires improvement to be good (all judgements)\n\n"
        "Since the last inspection in January 2019, services have not improved overall, but a "
        "new leadership team and a refreshed improvement board have begun to make concrete "
        "changes, helped by the end of shared arrangements with Peterborough.\n\n"
        "What needs to improve?\n"
        "- Workforce stability and capacity, so that workloads are manageable and children "
        "keep the same worker.\n"
        "- Sufficiency of placements and accommodation for children in care and care leavers.\n"
        "- How good, consistent and timely assessments are.\n"
        "- Permanence for every child in care, especially support for special guardians.\n"
        "- Planning with care leavers for their transition to adulthood.\n"
        "- How quickly and well the out-of-hours service responds.\n"
        "- Consistent support for 16- and 17-year-olds who present as homeless.\n"
    ),
    "findings": [
        (
            "Workforce stability and caseloads",
            "workforce-and-caseloads",
            "Workforce stability and capacity, so that workloads are manageable and children keep "
            "the same worker.",
        ),
        (
            "Placement and accommodation sufficiency",
            "accommodation-sufficiency",
            "Sufficiency of placements and accommodation for children in care and care leavers.",
        ),
        (
            "Quality and timeliness of assessments",
            "assessments",
            "How good, consistent and timely assessments are.",
        ),
        (
            "Permanence and special guardianship support",
            "permanence",
            "Permanence for every child in care, especially support for special guardians.",
        ),
        (
            "Transition planning for care leavers",
            "transition-planning",
            "Planning with care leavers for their transition to adulthood.",
        ),
        (
            "Out-of-hours response",
            "out-of-hours-services",
            "How quickly and well the out-of-hours service responds.",
        ),
        (
            "Homeless 16 and 17 year olds",
            "homeless-16-and-17-year-olds",
            "Consistent support for 16- and 17-year-olds who present as homeless.",
        ),
    ],
}

CAMBRIDGESHIRE_2025 = {
    "council_code": "873",
    "kind": "focused_visit",
    "focus_theme": "care_leavers",
    "start_date": datetime.date(2025, 7, 8),
    "end_date": datetime.date(2025, 7, 9),
    "published_on": datetime.date(2025, 8, 29),
    "ofsted_file_id": "50285468",
    "lead_inspector": "Mark Ellison, His Majesty's Inspector",
    "letter_text": (
        "Focused visit to Cambridgeshire children's services\n"
        "Visit dates: 8 to 9 July 2025\n"
        "Lead inspector: Mark Ellison, His Majesty's Inspector\n\n"
        "Inspectors looked at the local authority's arrangements for care leavers. Care leavers "
        "now have stronger relationships with their personal advisers, and extra staffing is "
        "reducing turnover and workloads. Most care leavers live in suitable homes.\n\n"
        "What needs to improve in this area of social work practice\n"
        "- Reflective supervision of personal advisers by front-line managers.\n"
        "- Front-line managers' oversight and direction of casework.\n"
        "- The quality and consistency of pathway plans.\n"
        "- The range of suitable accommodation that care leavers can get.\n"
    ),
    "findings": [
        (
            "Reflective supervision of personal advisers",
            "management-oversight-and-supervision",
            "Reflective supervision of personal advisers by front-line managers.",
        ),
        (
            "Managers' oversight and case direction",
            "management-oversight-and-supervision",
            "Front-line managers' oversight and direction of casework.",
        ),
        ("Pathway planning", "pathway-planning", "The quality and consistency of pathway plans."),
        (
            "Accommodation for care leavers",
            "accommodation-sufficiency",
            "The range of suitable accommodation that care leavers can get.",
        ),
    ],
    # (finding number in this letter, finding number in the 2024 letter it repeats)
    "repeats": [(3, 5), (4, 2)],
}

LEICESTER_2016 = {
    "council_code": "856",
    "kind": "monitoring_visit",
    "focus_theme": "care_leavers",
    "visit_number": 4,
    "start_date": datetime.date(2016, 6, 28),
    "end_date": datetime.date(2016, 6, 29),
    "published_on": datetime.date(2016, 8, 1),
    "lead_inspector": "Joanna Pike, Her Majesty's Inspector",
    "letter_text": (
        "Monitoring visit of Leicester City Council children's services\n\n"
        "This letter sets out the findings of the fourth monitoring visit since the local "
        "authority was judged inadequate in March 2015. The visit looked at services for care "
        "leavers.\n\n"
        "Areas for further improvement\n"
        "- Pathway plans vary too much in quality.\n"
        "- Personal advisers hold too many cases, despite extra staff.\n"
        "- Too many care leavers are not in education, employment or training.\n"
        "- The quality and effectiveness of support still vary.\n"
    ),
    "findings": [
        (
            "Pathway plans too variable",
            "pathway-planning",
            "Pathway plans vary too much in quality.",
        ),
        (
            "Personal advisers' caseloads",
            "workforce-and-caseloads",
            "Personal advisers hold too many cases, despite extra staff.",
        ),
        (
            "Care leavers not in education, employment or training",
            "education-employment-and-training",
            "Too many care leavers are not in education, employment or training.",
        ),
        (
            "Consistency of support for care leavers",
            "quality-assurance-and-performance",
            "The quality and effectiveness of support still vary.",
        ),
    ],
}
