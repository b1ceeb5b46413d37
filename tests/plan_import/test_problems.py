"""Each kind of problem, listed by row and column; an import with any of them writes nothing."""

import pytest

from actions.import_services import PlanHasProblems, import_plan
from tests.factories import ActionFactory, MembershipFactory, UserFactory

from .conftest import council_row, plan_written, preview, read

pytestmark = pytest.mark.django_db


def problems(inspection, importer, rows, **kwargs) -> list[str]:
    return [str(problem) for problem in preview(inspection, importer, rows, **kwargs).problems]


def assert_refused(inspection, importer, rows, expected: str):
    found = problems(inspection, importer, rows)
    assert any(expected in problem for problem in found), found
    before = plan_written(inspection)
    sheet, mapping = read(rows)
    with pytest.raises(PlanHasProblems) as refused:
        import_plan(inspection=inspection, imported_by=importer, sheet=sheet, mapping=mapping)
    assert any(expected in str(p) for p in refused.value.preview.problems)
    assert plan_written(inspection) == before, "a refused import writes nothing"


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            council_row(owner="Jo Bloggs"),
            "Row 2, Lead officer: “Jo Bloggs” is not a member of",
        ),
        (council_row(due="31/02/2025"), "Row 2, Deadline: “31/02/2025” is not a date"),
        (council_row(due="TBC"), "Row 2, Deadline: “TBC” is not a date"),
        (council_row(due=""), "Row 2, Deadline: Enter the due date: this cell is empty"),
        (
            council_row(status="Sort of"),
            "Row 2, Status: “Sort of” is not a status the tracker knows",
        ),
        (council_row(status="Amber"), "Row 2, Status: “Amber” is a RAG rating, not a status"),
        (council_row(percent=140), "Row 2, % complete: “140” is out of range"),
        (council_row(percent="lots"), "Row 2, % complete: “lots” is not a percentage"),
        (
            council_row(status="Complete", percent=80),
            "Row 2, % complete: A complete action is 100% complete",
        ),
        (council_row(action=""), "Row 2, Action/Activity: Enter the action: this cell is empty"),
        (council_row(owner=""), "Row 2, Lead officer: Enter the owner"),
        (
            council_row(number=9, finding=""),
            "Row 2, AFI no.: This inspection has no finding 9",
        ),
        (council_row(number="1a"), "Row 2, AFI no.: “1a” is not a finding number"),
        (
            council_row(updated="01/01/2099", update="Done"),
            "Row 2, Date of update: The update's date is in the future",
        ),
        (council_row(update="x" * 10_001), "Row 2, Commentary: The update must be 10,000"),
    ],
)
def test_each_problem_is_listed_by_row_and_column(inspection, staff, manager, row, expected):
    assert_refused(inspection, manager, [row], expected)


def test_a_duplicate_row(inspection, staff, manager):
    rows = [council_row(), council_row(percent=50), council_row(action="Another")]
    assert_refused(inspection, manager, rows, "Row 3, Action/Activity: This row repeats row 2")


def test_an_action_already_in_the_plan(inspection, staff, manager):
    ActionFactory(finding=inspection.findings.get(position=1), title="Audit supervision")
    assert_refused(inspection, manager, [council_row()], "Finding 1 already has this action")


def test_an_action_without_a_finding(inspection, staff, manager):
    rows = [council_row(number="", finding="")]
    assert_refused(inspection, manager, rows, "Row 2, Area for improvement: Say which finding")


def test_two_members_with_the_same_name(inspection, staff, manager, council):
    twin = UserFactory(first_name="Priya", last_name="Shah")
    MembershipFactory(user=twin, council=council)
    assert_refused(inspection, manager, [council_row()], "More than one member of")
    found = problems(inspection, manager, [council_row(owner=staff.email)])
    assert not found, "an email address tells them apart"


def test_every_problem_is_listed_not_just_the_first(inspection, staff, manager):
    rows = [
        council_row(action="A", due="soon", status="Amber", percent=200, owner="Nobody"),
        council_row(action="B"),
        council_row(action="C", due="31/13/2025"),
    ]
    found = problems(inspection, manager, rows)
    assert [p.split(":")[0] for p in found] == [
        "Row 2, Lead officer",
        "Row 2, Deadline",
        "Row 2, Status",
        "Row 2, % complete",
        "Row 4, Deadline",
    ], found


def test_a_member_of_another_council_is_unknown_here(inspection, staff, manager):
    elsewhere = UserFactory(first_name="Jo", last_name="Elsewhere")
    MembershipFactory(user=elsewhere)
    assert_refused(inspection, manager, [council_row(owner="Jo Elsewhere")], "is not a member")


def test_a_deactivated_member_is_unknown(inspection, staff, manager):
    staff.is_active = False
    staff.save()
    assert_refused(inspection, manager, [council_row()], "“Priya Shah” is not a member")


def test_the_unknown_owners_are_gathered_for_an_admin_to_invite(inspection, staff, manager):
    rows = [council_row(action=f"A{n}", owner="Jo Bloggs") for n in range(3)]
    result = preview(inspection, manager, rows)
    assert result.unknown_owners == {"Jo Bloggs": [2, 3, 4]}


def test_required_columns_must_be_chosen(inspection, staff, manager):
    sheet, mapping = read([council_row()])
    del mapping["due_date"]
    from actions.plan_import import preview_plan

    result = preview_plan(sheet, mapping, inspection=inspection, importer=manager)
    assert [str(p) for p in result.problems] == [
        "The file: Choose the file's column for “Due date”"
    ]
