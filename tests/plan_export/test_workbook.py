"""The inspection's action plan workbook: content and formatting, read back with openpyxl."""

import datetime

import pytest
from django.utils import timezone

from actions import plan_columns, plan_export
from actions.models import Action, ProgressUpdate, UpdateKind
from actions.rag import Clock, Rag, Status
from inspections.selectors import grade_label
from tests.factories import (
    ActionFactory,
    CouncilFactory,
    FindingFactory,
    InspectionFactory,
    ProgressUpdateFactory,
)

from .helpers import column, contrast, is_finding_row, table, workbook_from

HEADER = plan_columns.EXPORT_HEADER_ROW


def url(inspection) -> str:
    return f"/inspections/{inspection.pk}/plan.xlsx"


@pytest.fixture
def sheet(plan, staff_client):
    return workbook_from(staff_client.get(url(plan.inspection))).worksheets[0]


def test_one_sheet_named_after_the_inspection(plan, staff_client):
    response = staff_client.get(url(plan.inspection))
    assert response["Content-Type"] == plan_export.XLSX_CONTENT_TYPE
    assert "attachment" in response["Content-Disposition"]
    assert ".xlsx" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"
    workbook = workbook_from(response)
    assert workbook.sheetnames == ["Standard inspection Mar 2024"]


def test_title_block_says_council_inspection_grades_deadline_and_as_at(plan, sheet):
    inspection = plan.inspection
    lines = [sheet.cell(row=row, column=1).value for row in range(1, HEADER)]
    assert len(lines) == plan_columns.TITLE_ROWS
    assert lines[0] == inspection.council.name
    today = timezone.localdate()
    assert lines[1] == f"Standard inspection: action plan as at {today:%-d %B %Y}"
    assert lines[2] == "On site 4 March 2024 to 15 March 2024; published 3 May 2024"
    for judgement in inspection.judgements.all():
        assert (
            f"{judgement.get_area_display()}: {grade_label(inspection, judgement.grade)}"
            in (lines[3])
        ), "every grade, in the framework's words"
    deadline = inspection.plan_deadline
    assert f"{deadline.plan_due:%-d %B %Y}" in lines[4]
    assert f"early draft due {deadline.early_draft_due:%-d %B %Y}" in lines[4], (
        "finding 1 is an area for priority action, so an early draft is due"
    )
    assert lines[5].startswith("Progress: ") and "% across 8 live actions" in lines[5]
    assert sheet["A1"].font.bold


def test_header_row_has_the_shared_headings(sheet):
    headings = [cell.value for cell in sheet[HEADER]]
    assert headings == list(plan_columns.HEADINGS)
    assert all(cell.font.bold for cell in sheet[HEADER])


def test_findings_are_group_rows_with_their_progress_and_actions_beneath(plan, sheet):
    rows = table(sheet)
    groups = [row for row in rows if is_finding_row(row)]
    assert [row["finding_number"].value for row in groups] == [1, 2]
    first = plan.findings[0]
    assert plan_columns.split_finding_cell(groups[0]["finding"].value) == (
        first.short_title,
        first.text,
    ), "a finding row carries the short title and Ofsted's words"
    assert groups[0]["priority"].value == plan_columns.PRIORITY_ACTION_WORDS
    assert groups[1]["priority"].value is None
    live = [a for a in plan.actions if a.finding == first and a.status != Status.CANCELLED]
    expected = round(sum(a.percent_complete for a in live) / len(live))
    assert groups[0]["percent_complete"].value == expected
    assert groups[0]["rag"].value == Rag.RED.label
    assert "red" in groups[0]["rag_reason"].value and "amber" in groups[0]["rag_reason"].value
    assert all(cell.font.bold for cell in groups[0].values())

    # Each finding's actions follow it, folded one level under it.
    current = None
    for number, row in enumerate(rows, start=HEADER + 1):
        if is_finding_row(row):
            current = row["finding_number"].value
            assert not sheet.row_dimensions[number].outline_level
        else:
            assert row["finding_number"].value == current
            assert row["title"].value, "an action row always has its title"
            assert sheet.row_dimensions[number].outline_level == 1
    assert len(rows) == len(plan.findings) + len(plan.actions)


def test_action_rows_hold_the_action_and_its_rag_from_the_rules(plan, sheet):
    clock = Clock.current()
    rows = {row["title"].value: row for row in table(sheet) if not is_finding_row(row)}
    assert len(rows) == len(plan.actions)
    for action in Action.objects.filter(pk__in=[a.pk for a in plan.actions]):
        row = rows[action.title]
        assessment = action.assess(clock)
        assert row["rag"].value == assessment.rag.label
        assert row["rag_reason"].value.lower() == assessment.reason.lower()
        assert row["status"].value == action.get_status_display()
        assert row["percent_complete"].value == action.percent_complete
        assert row["owner"].value == action.owner.get_full_name()
        assert row["priority"].value == action.get_priority_display()
        assert row["due_date"].value.date() == action.due_date
        assert row["due_date"].number_format == "dd/mm/yyyy"
        if action.revised_due_date:
            assert row["revised_due_date"].value.date() == action.revised_due_date
        latest = ProgressUpdate.objects.filter(action=action).order_by("-created_at").first()
        assert row["latest_update"].value == latest.note
        assert row["latest_update_date"].value.date() == timezone.localdate(latest.created_at)


def test_every_field_of_an_action_reaches_its_column(council, staff, staff_client):
    finding = FindingFactory(inspection__council=council, position=3)
    action = ActionFactory(
        finding=finding,
        owner=staff,
        title="Refresh the supervision policy",
        description="Rewrite and relaunch it.",
        success_measure="Audits show 90% compliance.",
        lead_service="Quality assurance",
        priority=1,
        start_date=datetime.date(2024, 6, 1),
        due_date=datetime.date(2030, 1, 31),
        revised_due_date=datetime.date(2030, 3, 31),
    )
    ProgressUpdateFactory(action=action, note="First draft written.")
    ProgressUpdateFactory(
        action=action,
        note="Consulted the teams.",
        created_at=timezone.now() + datetime.timedelta(minutes=1),
    )
    ProgressUpdateFactory(
        action=action,
        kind=UpdateKind.REASSIGNED,
        note="Reassigned from A to B.",
        created_at=timezone.now() + datetime.timedelta(minutes=2),
    )
    sheet = workbook_from(staff_client.get(url(finding.inspection))).worksheets[0]
    row = next(r for r in table(sheet) if not is_finding_row(r))
    values = {key: cell.value for key, cell in row.items()}
    assert values["finding_number"] == 3
    assert values["finding"] == finding.short_title
    assert values["description"] == "Rewrite and relaunch it."
    assert values["success_measure"] == "Audits show 90% compliance."
    assert values["lead_service"] == "Quality assurance"
    assert values["priority"] == "High"
    assert values["start_date"].date() == datetime.date(2024, 6, 1)
    assert values["due_date"].date() == datetime.date(2030, 1, 31)
    assert values["revised_due_date"].date() == datetime.date(2030, 3, 31)
    assert values["latest_update"] == "Consulted the teams.", (
        "the latest entry about progress, not a reassignment"
    )


def test_frozen_header_filter_widths_and_wrapping(plan, sheet):
    assert sheet.freeze_panes == f"A{HEADER + 1}"
    last_row = HEADER + len(plan.findings) + len(plan.actions)
    assert sheet.auto_filter.ref == f"A{HEADER}:{plan_export.LAST_COLUMN}{last_row}"
    for number, spec in enumerate(plan_columns.PLAN_COLUMNS, start=1):
        letter = sheet.cell(row=1, column=number).column_letter
        assert sheet.column_dimensions[letter].width == spec.width, spec.heading
    for row in sheet.iter_rows(min_row=HEADER, max_row=last_row):
        for cell in row:
            assert cell.alignment.wrap_text, f"{cell.coordinate} wraps its text"


def test_rag_cells_are_filled_and_say_their_colour(plan, sheet):
    rag = column("rag")
    seen = set()
    for row in sheet.iter_rows(min_row=HEADER + 1, min_col=rag, max_col=rag):
        cell = row[0]
        if cell.value is None:
            continue
        fill, text = plan_export.RAG_STYLES[cell.value]
        assert cell.value in {r.label for r in Rag}, "the colour is said in words"
        assert cell.fill.fill_type == "solid"
        assert cell.fill.start_color.rgb[-6:] == fill
        assert cell.font.color.rgb[-6:] == text
        assert cell.font.bold
        seen.add(cell.value)
    assert {"Red", "Amber", "Blue"} <= seen


@pytest.mark.parametrize("rag", list(plan_export.RAG_STYLES))
def test_rag_fills_have_enough_contrast_for_their_text(rag):
    fill, text = plan_export.RAG_STYLES[rag]
    assert contrast(fill, text) >= 4.5, f"{rag}: WCAG asks 4.5:1 for text"


def test_header_and_finding_fills_have_enough_contrast():
    for fill in (plan_export.HEADER_FILL, plan_export.FINDING_FILL):
        assert contrast(fill, plan_export.TEXT_COLOUR) >= 4.5


def test_print_set_up(plan, sheet):
    assert sheet.page_setup.orientation == "landscape"
    assert int(sheet.page_setup.fitToWidth) == 1
    assert int(sheet.page_setup.fitToHeight) == 0
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == f"${HEADER}:${HEADER}", "the header row on every page"
    assert sheet.oddHeader.left.text == plan.inspection.council.name
    assert "Standard inspection" in sheet.oddHeader.right.text
    assert sheet.oddFooter.left.text == f"As at {timezone.localdate():%-d %B %Y}"
    assert "&P" in sheet.oddFooter.right.text


def test_an_ampersand_in_the_councils_name_prints_as_itself(staff_client, staff):
    council = staff.memberships.get().council
    council.name = "Brighton & Hove"
    council.save()
    inspection = InspectionFactory(council=council)
    sheet = workbook_from(staff_client.get(url(inspection))).worksheets[0]
    assert sheet.oddHeader.left.text == "Brighton && Hove", "'&&' prints one '&'"
    assert sheet["A1"].value == "Brighton & Hove"


def test_text_that_looks_like_a_formula_stays_text(council, staff, staff_client):
    action = ActionFactory(
        finding__inspection__council=council,
        owner=staff,
        title='=HYPERLINK("http://evil.example","click")',
        description="+1+1",
    )
    ProgressUpdateFactory(action=action, note="@SUM(1,2)\x07 with a bell")
    sheet = workbook_from(staff_client.get(url(action.finding.inspection))).worksheets[0]
    row = next(r for r in table(sheet) if not is_finding_row(r))
    assert row["title"].value == action.title
    assert row["title"].data_type == "s", "a string, never a formula"
    assert row["description"].data_type == "s"
    assert row["latest_update"].value == "@SUM(1,2) with a bell", "control characters dropped"


def test_an_inspection_without_findings_or_grades(council, staff_client):
    inspection = InspectionFactory(council=council, focused_visit=True, published_on=None)
    sheet = workbook_from(staff_client.get(url(inspection))).worksheets[0]
    assert sheet.title == "FV care leavers Mar 2024"
    assert "not graded" in sheet["A4"].value
    assert sheet["A5"].value.endswith("after the report is published")
    assert sheet["A6"].value == "Progress: no actions yet"
    assert [c.value for c in sheet[HEADER]] == list(plan_columns.HEADINGS)
    assert sheet.auto_filter.ref == f"A{HEADER}:{plan_export.LAST_COLUMN}{HEADER}"


def test_sheet_names_are_short_unique_and_allowed(db):
    council = CouncilFactory()
    visit = InspectionFactory.build(
        council=council,
        focused_visit=True,
        focus_theme="children_in_need_and_protection",
        start_date=datetime.date(2025, 7, 1),
    )
    taken: set[str] = set()
    names = [plan_export.sheet_name(visit, taken) for _ in range(12)]
    assert len(set(names)) == 12
    for name in names:
        assert len(name) <= 31, name
        assert not set(name) & set("[]:*?/\\"), name
    assert names[0] == "FV children in need or Jul 2025", "cut at a word"
    assert names[1].endswith(" Jul 2025 (2)")
    assert names[11].endswith(" Jul 2025 (12)")


def test_the_export_reads_rag_as_of_one_moment(plan):
    """The same clock for every row: a plan exported at a fixed moment is rated at that moment."""
    late = Clock(
        today=timezone.localdate() + datetime.timedelta(days=400),
        now=timezone.now() + datetime.timedelta(days=400),
    )
    exported = plan_export.inspection_plan(plan.inspection.council, plan.inspection.pk, late)
    rags = {
        action.assessment.rag
        for finding in exported.findings
        for action in finding.actions
        if action.status not in (Status.COMPLETE, Status.CANCELLED, Status.DELIVERED)
    }
    assert rags == {Rag.RED}, "400 days on, every unfinished action is late"


def test_sheet_names_for_each_kind(db):
    taken: set[str] = set()
    names = [
        plan_export.sheet_name(InspectionFactory.build(**kind), taken)
        for kind in (
            {},
            {"kind": "jtai"},
            {"monitoring_visit": True, "visit_number": 3},
            {"kind": "short"},
        )
    ]
    assert names == [
        "Standard inspection Mar 2024",
        "JTAI Mar 2024",
        "Monitoring visit 3 Mar 2024",
        "Short inspection Mar 2024",
    ]
