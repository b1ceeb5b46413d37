"""A clean import: what is written, through the services, with the sheet's own dates."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions import services
from actions.import_services import import_plan
from actions.models import Action, UpdateKind
from actions.rag import Rag, Status
from councils.models import Role
from tests.factories import MembershipFactory, UserFactory

from .conftest import COUNCIL_HEADINGS, council_row, plan_written, preview, read

pytestmark = pytest.mark.django_db

OUR_HEADINGS = [
    "Finding no.",
    "Finding",
    "Action",
    "What will be done",
    "Owner",
    "Lead team",
    "Priority",
    "Start date",
    "Due date",
    "Revised due date",
    "Status",
    "% complete",
    "Latest update",
    "Latest update date",
    "Success measure",
]


def run(inspection, importer, rows, headings=COUNCIL_HEADINGS, placeholder=None):
    sheet, mapping = read(rows, headings)
    return import_plan(
        inspection=inspection,
        imported_by=importer,
        sheet=sheet,
        mapping=mapping,
        placeholder_owner=placeholder,
    )


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


def test_a_clean_import_writes_findings_actions_and_timelines(
    inspection, staff, other_staff, manager
):
    rows = [
        # A finding row (no action): a new finding, an area for priority action.
        [3, "Early help\nEarly help assessments are not timely.", "", "", "", "",
         "Area for priority action"],
        [3, "Early help", "Weekly early help panel", "Set up a panel", "priya shah",
         "Early help", "High", "01/04/2025", "30/06/2025", "", "On track", 30,
         "Panel meets weekly.", "2025-05-01", "All assessments in 20 days"],
        # Matched by the finding's own text, not its number.
        ["", "Pathway plans for care leavers are not updated when circumstances change.",
         "Pathway plan audit", "", f"{other_staff.email}", "Care leavers", "Low", "",
         "31 March 2026", "", "Not yet started", "", "", "", ""],
        # Matched by number; two owners: the first owns it, the second contributes.
        [1, "", "Supervision policy", "", "Priya Shah / Tom Hughes", "", "", "", "31/12/2025",
         "", "In progress", 50, "Draft out.", "15/05/2025", ""],
    ]  # fmt: skip
    result = run(inspection, manager, rows, OUR_HEADINGS)
    assert (result.actions, result.new_findings, result.findings) == (3, 1, 3)

    early = inspection.findings.get(position=3)
    assert early.short_title == "Early help"
    assert early.text == "Early help assessments are not timely."
    assert early.is_priority_action
    assert early.history.first().history_change_reason.startswith("Imported")

    panel = Action.objects.get(title="Weekly early help panel")
    assert panel.finding == early and panel.owner == staff
    assert (panel.description, panel.lead_service, panel.priority) == (
        "Set up a panel",
        "Early help",
        1,
    )
    assert (panel.start_date, panel.due_date) == (day("2025-04-01"), day("2025-06-30"))
    assert (panel.status, panel.percent_complete) == (Status.IN_PROGRESS, 30)
    assert panel.success_measure == "All assessments in 20 days"

    audit = Action.objects.get(title="Pathway plan audit")
    assert audit.finding.position == 2 and audit.owner == other_staff
    assert audit.status == Status.NOT_STARTED and not audit.updates.exists()

    policy = Action.objects.get(title="Supervision policy")
    assert policy.finding.position == 1
    assert policy.owner == staff and list(policy.contributors.all()) == [other_staff]
    assert plan_written(inspection) == (3, 3, 2)


def test_dated_updates_become_timeline_entries_at_their_dates(inspection, staff, manager):
    commentary = (
        "12/01/2025: Audit tool agreed.\n"
        "14 February 2025 - First audit done;\nfindings to the board.\n"
        "03/03/2025: Second audit done."
    )
    run(inspection, manager, [council_row(status="In progress", percent=60, update=commentary)])
    action = Action.objects.get()
    entries = list(action.updates.order_by("created_at"))
    assert [(timezone.localdate(e.created_at), e.note) for e in entries] == [
        (day("2025-01-12"), "Audit tool agreed."),
        (day("2025-02-14"), "First audit done;\nfindings to the board."),
        (day("2025-03-03"), "Second audit done."),
    ]
    assert [e.author for e in entries] == [manager] * 3
    assert (action.status, action.percent_complete) == (Status.IN_PROGRESS, 60)
    assert timezone.localdate(action.last_progress_at) == day("2025-03-03")
    assert action.assess().rag == Rag.RED, "RAG is ours: overdue since 31 March 2025"


def test_an_update_dated_in_its_own_column(inspection, staff, manager):
    run(inspection, manager, [council_row(update="Board told.", updated="30 April 2025")])
    update = Action.objects.get().updates.get()
    assert timezone.localdate(update.created_at) == day("2025-04-30")
    assert update.kind == UpdateKind.PROGRESS


def test_complete_actions_are_signed_off_by_the_importer_at_their_date(inspection, staff, manager):
    run(
        inspection,
        manager,
        [council_row(status="Completed", percent=100, update="Policy live.", updated="01/05/2025")],
    )
    action = Action.objects.get()
    assert action.status == Status.COMPLETE and action.signed_off_by == manager
    assert timezone.localdate(action.signed_off_at) == day("2025-05-01")
    kinds = list(action.updates.order_by("created_at", "id").values_list("kind", "note"))
    assert kinds == [
        (UpdateKind.PROGRESS, "Delivered, as recorded in the imported plan."),
        (UpdateKind.SIGNED_OFF, "Policy live."),
    ]
    assert action.assess().rag == Rag.BLUE


def test_a_complete_action_the_importer_owns_waits_for_another_manager(inspection, manager):
    row = council_row(owner="Sarah Okafor", status="Done", percent="")
    found = preview(inspection, manager, [row])
    assert any("so you cannot sign it off" in str(note) for note in found.notes), found.problems
    run(inspection, manager, [row])
    action = Action.objects.get()
    assert action.status == Status.DELIVERED and action.percent_complete == 100


def test_cancelled_and_revised_actions(inspection, staff, manager):
    rows = [
        ["1", "", "Old idea", "Priya Shah", "31/03/2026", "", "Cancelled", 20, "Superseded.",
         "02/02/2025"],
        ["1", "", "Slipped", "Priya Shah", "31/03/2026", "", "Delayed", 40, "Late.",
         "03/02/2025"],
    ]  # fmt: skip
    headings = [*COUNCIL_HEADINGS]
    headings[5] = "Revised deadline"
    rows[1][5] = "30/06/2026"
    run(inspection, manager, rows, headings)
    old = Action.objects.get(title="Old idea")
    assert old.status == Status.CANCELLED and old.percent_complete == 20
    assert old.updates.latest("created_at", "id").note == "Superseded."
    slipped = Action.objects.get(title="Slipped")
    assert (slipped.due_date, slipped.revised_due_date) == (day("2026-03-31"), day("2026-06-30"))
    assert list(slipped.updates.order_by("id").values_list("kind", flat=True)) == [
        UpdateKind.DUE_DATE_REVISED,
        UpdateKind.PROGRESS,
    ]


def test_everything_or_nothing(inspection, staff, manager, monkeypatch):
    """A failure on the last row undoes the rows before it."""
    real = services.log_progress
    calls = []

    def failing(**kwargs):
        calls.append(kwargs)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        return real(**kwargs)

    monkeypatch.setattr(services, "log_progress", failing)
    rows = [council_row(number=n % 2 + 1, action=f"A{n}", update="x") for n in range(3)]
    rows.append(council_row(number="", finding="A new finding", action="New", update="y"))
    with pytest.raises(RuntimeError):
        run(inspection, manager, rows)
    assert plan_written(inspection) == (2, 0, 0)


def test_only_managers_may_import(inspection, staff, manager):
    sheet, mapping = read([council_row()])
    with pytest.raises(PermissionDenied):
        import_plan(inspection=inspection, imported_by=staff, sheet=sheet, mapping=mapping)
    assert plan_written(inspection) == (2, 0, 0)


def test_an_admin_imports_too(inspection, staff, admin):
    assert run(inspection, admin, [council_row()]).actions == 1


def test_the_import_runs_a_bounded_number_of_queries_per_row(inspection, staff, manager):
    for _ in range(3):
        MembershipFactory(user=UserFactory(), council=inspection.council, role=Role.STAFF)
    counts = []
    for size in (5, 20):
        rows = [
            council_row(action=f"{size}-{n}", update="Going well.", updated="01/05/2025")
            for n in range(size)
        ]
        with CaptureQueriesContext(connection) as queries:
            run(inspection, manager, rows)
        counts.append(len(queries))
    per_row = (counts[1] - counts[0]) / 15
    print(f"\nimport queries: {counts[0]} for 5 rows, {counts[1]} for 20 ({per_row:.1f} a row)")
    # Each row is two service calls (action_create, log_progress). Most of their queries
    # are full_clean()'s: one SELECT per check constraint, each in its own savepoint.
    assert per_row <= 90, f"{per_row} queries a row: {counts}"
    assert counts[0] - 5 * per_row <= 15, "a fixed part that does not grow with the members"
