"""Words for generated data: people's names, findings, actions and timeline notes.

Plausible, not real: the findings paraphrase the kind of thing Ofsted's letters say,
under the themes seeded by inspections/migrations/0002. A theme an admin added later
(not listed here) gets the generic wording.
"""

FIRST_NAMES = (
    "Aisha", "Alex", "Amir", "Amy", "Ben", "Bola", "Callum", "Chloe", "Daniel", "Deepa",
    "Eleanor", "Emeka", "Fatima", "Gareth", "Grace", "Hannah", "Harjit", "Imran", "Isla",
    "Jack", "Jade", "James", "Joanne", "Kate", "Kwame", "Laura", "Leon", "Lucy", "Mark",
    "Megan", "Mohammed", "Nadia", "Natalie", "Nia", "Oliver", "Olivia", "Paul", "Priya",
    "Rachel", "Rhys", "Ruth", "Sam", "Sarah", "Simon", "Sophie", "Tariq", "Tom", "Yasmin",
    "Zainab", "Zoe",
)  # fmt: skip

LAST_NAMES = (
    "Adams", "Ahmed", "Ali", "Bailey", "Begum", "Bennett", "Brown", "Campbell", "Chen",
    "Clarke", "Davies", "Edwards", "Evans", "Green", "Hall", "Harris", "Hughes", "Hussain",
    "Jackson", "James", "Jones", "Kaur", "Khan", "King", "Lee", "Lewis", "Martin", "Mensah",
    "Mitchell", "Morgan", "Morris", "Murphy", "Nowak", "Okafor", "Owen", "Parker", "Patel",
    "Phillips", "Price", "Roberts", "Robinson", "Scott", "Shah", "Singh", "Smith", "Taylor",
    "Thomas", "Thompson", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson",
    "Wood", "Wright", "Young",
)  # fmt: skip

JOB_TITLES = {
    "staff": (
        "Social worker",
        "Senior practitioner",
        "Team manager",
        "Personal adviser",
        "Practice supervisor",
        "Independent reviewing officer",
        "Quality assurance officer",
        "Workforce development officer",
    ),
    "manager": (
        "Head of service",
        "Service manager",
        "Assistant director",
        "Principal social worker",
    ),
    "admin": ("Improvement lead", "Performance and improvement officer"),
}

INSPECTOR_NAMES = (
    "Helen Carter", "Andrew Watson", "Marcie Taylor", "Neil Penswick", "Dominic Stevens",
    "Rachel Griffiths", "Jansy Kelly", "Louise Hocking", "Brenda McLaughlin", "Kathryn Grindrod",
    "Matthew Reed", "Nick Stacey", "Sarah Canto", "Tracey Scott", "Lorna Schlechte",
)  # fmt: skip

# theme slug: (lead service, [(short title, finding text)], [action titles])
THEMES = {
    "workforce-and-caseloads": (
        "Workforce development",
        [
            (
                "Stability of the social work workforce",
                "The stability of the workforce, so that children do not experience "
                "frequent changes of social worker.",
            ),
            (
                "Manageable caseloads",
                "Caseloads in the assessment and child in need teams, which are too high "
                "for social workers to know children well.",
            ),
        ],
        [
            "Launch a recruitment campaign for experienced social workers",
            "Reduce reliance on agency social workers to below 15%",
            "Introduce a caseload weighting tool in every team",
            "Extend the assessed and supported year in employment programme",
            "Agree a retention payment for hard-to-fill posts",
        ],
    ),
    "management-oversight-and-supervision": (
        "Principal social worker",
        [
            (
                "Management oversight and supervision",
                "The quality of management oversight and supervision, so that it "
                "challenges drift and delay in children's plans.",
            ),
            (
                "Reflective supervision",
                "Supervision that is regular, reflective and recorded, and that helps "
                "social workers to progress children's plans.",
            ),
        ],
        [
            "Roll out the new supervision policy and recording template",
            "Train all team managers in reflective supervision",
            "Audit supervision records monthly and report to the improvement board",
            "Introduce a tracker for children whose plans show drift",
        ],
    ),
    "pathway-planning": (
        "Leaving care service",
        [
            (
                "Pathway planning",
                "The quality of pathway plans, so that they are written with young people, "
                "are updated when their circumstances change and set out their support.",
            ),
            (
                "Care leavers' pathway plans",
                "Pathway plans that are specific and measurable, and that young people "
                "understand and own.",
            ),
        ],
        [
            "Redesign the pathway plan with care leavers",
            "Audit 20 pathway plans each month",
            "Train personal advisers in writing outcome-focused plans",
            "Review every pathway plan at least every six months",
        ],
    ),
    "accommodation-sufficiency": (
        "Commissioning and sufficiency",
        [
            (
                "Sufficiency of homes for children in care",
                "The sufficiency of local placements, so that children live close to "
                "their families, schools and communities.",
            ),
            (
                "Suitable accommodation for care leavers",
                "The range of suitable accommodation for care leavers, including those "
                "with complex needs.",
            ),
        ],
        [
            "Publish a refreshed sufficiency strategy",
            "Open two new local children's homes",
            "Recruit 30 additional foster carers",
            "Agree a joint housing protocol for care leavers",
        ],
    ),
    "assessments": (
        "Assessment service",
        [
            (
                "Quality of assessments",
                "The quality of assessments, so that they consider children's histories "
                "and lead to plans that address the risks they face.",
            ),
            (
                "Timeliness of assessments",
                "The timeliness of assessments for children in need of help.",
            ),
        ],
        [
            "Introduce a practice standard for assessments",
            "Audit assessments completed in the month",
            "Deliver chronology training to all social workers",
            "Track assessment timeliness weekly at the performance clinic",
        ],
    ),
    "permanence": (
        "Children in care service",
        [
            (
                "Timely permanence",
                "Permanence planning, so that children achieve permanence without delay.",
            ),
            (
                "Permanence for children in care",
                "The oversight of permanence for children in long-term foster care and "
                "with special guardians.",
            ),
        ],
        [
            "Hold a permanence panel for every child in care at the second review",
            "Track children waiting for a permanence decision",
            "Offer support plans to all special guardians",
            "Ratify long-term fostering matches within 12 weeks",
        ],
    ),
    "transition-planning": (
        "Disabled children's service",
        [
            (
                "Transition to adult services",
                "Planning for disabled children's transition to adult services, which "
                "starts too late.",
            ),
        ],
        [
            "Start transition planning for every disabled child at 14",
            "Agree a joint transitions protocol with adult social care",
            "Create a transitions tracker shared with adult services",
        ],
    ),
    "out-of-hours-services": (
        "Emergency duty team",
        [
            (
                "Out-of-hours response",
                "The response of the emergency duty team, and how its work is passed to "
                "daytime teams.",
            ),
        ],
        [
            "Review staffing of the emergency duty team",
            "Introduce a handover standard between the emergency duty team and daytime teams",
            "Audit out-of-hours strategy discussions quarterly",
        ],
    ),
    "homeless-16-and-17-year-olds": (
        "Early help and housing",
        [
            (
                "Homeless 16 and 17 year olds",
                "The response to 16- and 17-year-olds who present as homeless, who are not "
                "always told of their right to come into care.",
            ),
        ],
        [
            "Agree a joint protocol for homeless 16 and 17 year olds with housing",
            "Give every homeless 16 or 17 year old written advice on their rights",
            "Audit the joint housing assessments each quarter",
        ],
    ),
    "the-front-door": (
        "MASH and front door",
        [
            (
                "Response at the front door",
                "Thresholds at the front door, so that children receive the right help "
                "at the right time.",
            ),
            (
                "Consent at the front door",
                "The understanding and recording of consent when contacts are received.",
            ),
        ],
        [
            "Refresh the threshold document with the safeguarding partnership",
            "Audit MASH decisions weekly",
            "Recruit two additional senior practitioners to the MASH",
            "Train partner agencies in making good-quality referrals",
        ],
    ),
    "child-protection": (
        "Child protection service",
        [
            (
                "Strategy meetings",
                "The quality of strategy discussions and the involvement of partner "
                "agencies in them.",
            ),
            (
                "Child protection plans",
                "Child protection plans that are specific, with clear timescales and "
                "contingency plans.",
            ),
        ],
        [
            "Introduce a strategy discussion template",
            "Review all children subject to a plan for more than 18 months",
            "Train chairs in writing specific child protection plans",
            "Audit core group minutes monthly",
        ],
    ),
    "voice-of-the-child": (
        "Participation team",
        [
            (
                "Children's voices in their plans",
                "How well children's wishes and feelings are gathered and shape their plans.",
            ),
        ],
        [
            "Launch the children in care council's consultation programme",
            "Introduce direct work tools in every team",
            "Write plans to children in language they understand",
        ],
    ),
    "education-employment-and-training": (
        "Virtual school",
        [
            (
                "Care leavers in education, employment or training",
                "The proportion of care leavers in education, employment or training.",
            ),
        ],
        [
            "Create 20 apprenticeships for care leavers across the council",
            "Extend the virtual school's support to care leavers up to 25",
            "Introduce a guaranteed interview scheme for care leavers",
        ],
    ),
    "quality-assurance-and-performance": (
        "Quality assurance",
        [
            (
                "Quality assurance",
                "The quality assurance framework, so that audits lead to improvements in practice.",
            ),
            (
                "Use of performance information",
                "The use of performance information by leaders to understand the quality "
                "of practice.",
            ),
        ],
        [
            "Refresh the quality assurance framework",
            "Moderate a sample of audits every month",
            "Publish a monthly performance scorecard",
            "Introduce practice week twice a year",
        ],
    ),
    "partnerships": (
        "Safeguarding partnership",
        [
            (
                "Partnership working",
                "The contribution of partner agencies to assessments and plans.",
            ),
        ],
        [
            "Agree an information-sharing protocol with health partners",
            "Hold quarterly multi-agency audits",
            "Review partners' attendance at child protection conferences",
        ],
    ),
    "leadership-and-governance": (
        "Director's office",
        [
            (
                "Leaders' grip on practice",
                "Leaders' understanding of the quality of frontline practice.",
            ),
            (
                "Corporate parenting",
                "The effectiveness of the corporate parenting board in improving children's "
                "experiences.",
            ),
        ],
        [
            "Refresh the improvement plan and present it to the improvement board",
            "Review the terms of reference of the corporate parenting board",
            "Hold monthly practice visits by senior leaders",
            "Report progress to scrutiny each quarter",
        ],
    ),
}

# For themes not listed above (added by an admin) and to vary every plan.
GENERIC_ACTIONS = (
    "Report progress on {topic} to the improvement board every month",
    "Deliver practice workshops on {topic} for team managers",
    "Revise the practice standards for {topic}",
    "Introduce a monthly audit of {topic}",
    "Set up a task and finish group on {topic}",
    "Agree measures for {topic} with the performance team",
)
GENERIC_LEAD_SERVICE = "Improvement team"

ACTION_DESCRIPTIONS = (
    "Led by the service manager, with each team manager responsible for their own team.",
    "Delivered in two phases: a pilot in one locality, then across the service.",
    "Agreed at the improvement board; progress is reviewed at every meeting.",
    "Jointly with partners, through the safeguarding partnership's subgroup.",
)

SUCCESS_MEASURES = (
    "Audits show at least 80% of cases are good or better.",
    "Measured monthly at the improvement board through the performance scorecard.",
    "Fewer than 10% of cases show drift at the next audit.",
    "Children and young people tell us, in the annual survey, that things have improved.",
    "Performance is in line with statistical neighbours by the end of the year.",
)

NOTES = {
    "planning": (
        "Project group set up; the first meeting is booked.",
        "Scoping under way with the service manager; work starts next month.",
    ),
    "progress": (
        "Audit completed: {percent}% of the sample met the standard. Findings shared with teams.",
        "Training delivered to three teams; the remaining sessions are booked.",
        "Draft policy circulated for comment to team managers and partners.",
        "Good progress this month: the new template is in use in every team.",
        "Discussed at the improvement board, which agreed the next steps.",
        "Recruitment round closed; interviews next week.",
        "Performance has improved for the third month running.",
        "Practice workshop held; attendance and feedback were good.",
        "Monthly check-in with the lead: on track.",
        "Data cleansing finished, so the scorecard now reports this measure.",
    ),
    "blocked": (
        "Waiting for the new case management system to go live before this can start.",
        "Blocked: the funding has not yet been agreed by the corporate leadership team.",
        "Paused while the service is restructured.",
        "Partners have not yet agreed the protocol; escalated to the partnership board.",
    ),
    "delivered": (
        "All agreed work is done; evidence is attached for sign-off.",
        "Delivered: the new arrangements are in place and the first audit is complete.",
        "Complete from our side; ready for a manager to sign off.",
    ),
    "sent_back": (
        "Not yet evidenced: the audit sample is too small. Please extend it.",
        "The new process is not yet used in every team; send it back when it is.",
    ),
    "signed_off": (
        "Signed off: the evidence shows the change is embedded.",
        "Signed off at the improvement board.",
        "Signed off.",
    ),
    "cancelled": (
        "Superseded by the refreshed improvement plan.",
        "No longer needed: merged into a wider action on the same finding.",
    ),
    "reopened": (
        "Reopened: the latest audit shows the issue has come back.",
        "Reopened at the improvement board's request.",
    ),
    "revise": (
        "The recruitment market has delayed the start.",
        "Agreed at the improvement board to allow time for the pilot.",
        "Delayed by the new system's go-live.",
    ),
    "reassign": ("The previous owner has moved to another team.",),
}
