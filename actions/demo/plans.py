"""Demo actions for the demo letters: enough variety that every RAG colour shows.

Each action: (title, owner key, lead service, priority, due in days from today,
history). History entries are (days ago, status, percent, note); "signed_off"
as the status means a manager signs the delivered action off; "cancelled"
means a manager cancels it.

Days count back from the day the demo is loaded, so the RAG colours stay the
same whenever it runs. An action's work starts ten days before its first entry
(thirty days ago when it has none); the whole plan is entered on the day the
earliest of its actions starts, and its letter a week before that
(actions/management/commands/load_demo.py, actions/demo/clock.py).
"""

H, M, L = 1, 2, 3

CAMBRIDGESHIRE_2024 = {
    1: [
        (
            "Recruit 20 permanent social workers through the regional recruitment campaign",
            "staff",
            "Workforce development",
            H,
            45,
            [
                (150, "in_progress", 20, "Campaign launched with the regional partnership."),
                (60, "in_progress", 55, "11 offers accepted; 4 started."),
                (6, "in_progress", 70, "15 offers accepted; agency use down to 18%."),
            ],
        ),
        (
            "Cap caseloads at 18 children per social worker in assessment teams",
            "manager2",
            "Children's social care",
            H,
            -12,
            [
                (120, "in_progress", 30, "Caseload dashboard in place; average now 22."),
                (40, "in_progress", 50, "Two teams at 18 or fewer; three still above."),
            ],
        ),
        (
            "Launch the newly qualified social worker academy",
            "staff",
            "Workforce development",
            M,
            -30,
            [
                (200, "in_progress", 40, "First cohort of 12 recruited."),
                (100, "delivered", 100, "Academy running; evaluation report attached."),
                (90, "signed_off", 100, "Signed off at the improvement board."),
            ],
        ),
    ],
    2: [
        (
            "Open two new in-house children's homes",
            "staff2",
            "Commissioning",
            H,
            120,
            [
                (90, "in_progress", 25, "Property for the first home bought."),
                (
                    45,
                    "blocked",
                    30,
                    "Registration delayed: Ofsted registration visit not yet booked.",
                ),
            ],
        ),
        (
            "Recruit 25 more foster carers through the fostering hub",
            "staff2",
            "Fostering",
            M,
            200,
            [(20, "in_progress", 35, "9 households approved at panel since April.")],
        ),
    ],
    3: [
        (
            "Introduce a single assessment practice standard and audit it monthly",
            "staff",
            "Quality assurance",
            H,
            10,
            [
                (100, "in_progress", 40, "Practice standard agreed by the leadership team."),
                (
                    8,
                    "in_progress",
                    80,
                    "Third monthly audit done: 71% of assessments good or better.",
                ),
            ],
        ),
        (
            "Reduce assessments open beyond 45 working days to under 10%",
            "manager2",
            "Children's social care",
            M,
            75,
            [(50, "in_progress", 45, "Weekly timeliness meeting started; now 16%.")],
        ),
    ],
    4: [
        (
            "Set up a special guardianship support team",
            "staff2",
            "Permanence",
            H,
            30,
            [
                (80, "in_progress", 60, "Team manager appointed; two workers in post."),
                (
                    3,
                    "delivered",
                    100,
                    "Team fully staffed and taking referrals. Terms of reference attached.",
                ),
            ],
        ),
        (
            "Track permanence plans at the second review for every child in care",
            "staff",
            "Independent reviewing service",
            M,
            160,
            [(12, "in_progress", 20, "Tracker built; first quarter of reviews checked.")],
        ),
    ],
    5: [
        (
            "Start pathway planning at 15 and a half for every child in care",
            "staff",
            "Care leavers service",
            H,
            -5,
            [(140, "in_progress", 50, "Guidance issued to children in care teams.")],
        ),
        (
            "Co-produce the pathway plan template with the children in care council",
            "staff2",
            "Participation",
            L,
            90,
            [(10, "in_progress", 40, "Two workshops held with care leavers.")],
        ),
    ],
    6: [
        (
            "Review out-of-hours staffing against demand",
            "manager2",
            "Emergency duty team",
            M,
            8,
            [(35, "in_progress", 70, "Demand analysis complete; options paper drafted.")],
        ),
    ],
    7: [
        (
            "Agree a joint protocol with housing for 16 and 17-year-olds presenting as homeless",
            "staff",
            "Adolescent services",
            H,
            25,
            [(70, "in_progress", 30, "Draft protocol shared with the five district councils.")],
        ),
        (
            "Train housing and children's staff on the joint protocol",
            "staff2",
            "Adolescent services",
            L,
            140,
            [],
        ),
        (
            "Commission a supported lodgings pilot",
            "manager2",
            "Commissioning",
            L,
            100,
            [
                (60, "in_progress", 10, "Market engagement event held."),
                (
                    30,
                    "cancelled",
                    10,
                    "Replaced by the wider accommodation strategy under finding 2.",
                ),
            ],
        ),
    ],
}

CAMBRIDGESHIRE_2025 = {
    1: [
        (
            "Reflective group supervision every month for personal advisers",
            "staff",
            "Care leavers service",
            H,
            60,
            [
                (
                    70,
                    "in_progress",
                    50,
                    "Group supervision sessions running in two of three teams.",
                ),
                (5, "in_progress", 65, "Supervision audit sampled 20 records."),
            ],
        ),
    ],
    2: [
        (
            "Management oversight standard for care leavers' case records",
            "manager2",
            "Care leavers service",
            H,
            14,
            [(60, "in_progress", 40, "Standard written and shared.")],
        ),
        (
            "Monthly dip-sample of management oversight by heads of service",
            "staff2",
            "Quality assurance",
            M,
            45,
            [(9, "in_progress", 30, "First dip sample: oversight recorded in 14 of 20 cases.")],
        ),
    ],
    3: [
        (
            "Relaunch the pathway plan with care leavers' own goals first",
            "staff",
            "Care leavers service",
            H,
            30,
            [
                (40, "in_progress", 60, "New template live in the case management system."),
                (2, "delivered", 100, "Every new plan now on the new template; guidance attached."),
            ],
        ),
        (
            "Audit 30 pathway plans each quarter",
            "staff2",
            "Quality assurance",
            M,
            120,
            [(15, "in_progress", 25, "First quarterly audit done.")],
        ),
    ],
    4: [
        (
            "Agree a care leavers' housing pathway with district and city councils",
            "manager2",
            "Commissioning",
            H,
            150,
            [],
        ),
        (
            "Extend Staying Put to every eligible care leaver who asks",
            "staff2",
            "Fostering",
            M,
            90,
            [(4, "in_progress", 45, "Allowance policy revised; 22 young people staying put.")],
        ),
    ],
}

LEICESTER_2016 = {
    1: [
        (
            "Audit every care leaver's pathway plan and rewrite those below standard",
            "leicester_staff",
            "Leaving care service",
            H,
            -3500,
            [
                (3600, "in_progress", 50, "Audit of 120 plans complete."),
                (3520, "delivered", 100, "All plans below standard rewritten."),
                (3510, "signed_off", 100, "Signed off by the improvement board."),
            ],
        ),
    ],
    2: [
        (
            "Recruit four personal advisers to bring caseloads under 25",
            "leicester_staff",
            "Leaving care service",
            H,
            -3450,
            [
                (3560, "in_progress", 50, "Two advisers started."),
                (3470, "delivered", 100, "All four in post; average caseload 23."),
                (3460, "signed_off", 100, "Signed off."),
            ],
        ),
    ],
    3: [
        (
            "Education, employment and training offer with the virtual school",
            "leicester_staff",
            "Virtual school",
            M,
            -3400,
            [
                (3500, "in_progress", 40, "Offer agreed with further education colleges."),
                (3420, "delivered", 100, "Offer in place."),
                (3410, "signed_off", 100, "Signed off."),
            ],
        ),
    ],
    4: [
        (
            "Monthly practice audits of support to care leavers",
            "leicester_staff",
            "Quality assurance",
            M,
            -3300,
            [
                (3450, "in_progress", 50, "Audit programme agreed."),
                (3320, "delivered", 100, "Audits embedded."),
                (3310, "signed_off", 100, "Signed off."),
            ],
        ),
    ],
}
