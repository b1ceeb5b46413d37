"""The action plan in the layout boards read: an Excel workbook (and CSV) per inspection or council.

One sheet per inspection: a title block (council, inspection, dates, grades, the
plan's deadline, progress, "as at"), then the table whose columns, header row and
finding rows are described in actions/plan_columns.py. Each finding is a bold
group row with its progress and RAG counts, its actions beneath it (grouped, so a
reader can fold them away). The header row is frozen and repeated on every
printed page, every column has a filter, long text wraps, and each RAG cell says
its colour in words as well as in its fill. Pages print landscape on A3, fitted
to the page's width, with the council's name and the "as at" date in the header
and footer.

RAG and progress are not worked out here: ratings come from Action.assess()
(actions/rag.py) and progress from the roll-up annotations (actions/rollups.py),
so the workbook says what the pages say. A plan of any size costs the same
number of queries: the inspections (with their judgements), their findings and
their actions, each in one query.

Also here: the template workbook a council fills in to bring its plan in.
"""

import csv
import datetime
import io
import re
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from councils.models import Council
from inspections.models import Finding, Inspection
from inspections.selectors import grade_label, judgements_in_order, with_summary

from . import plan_columns
from .exports import SPOOL_MAX_BYTES, _csv_text, _person
from .models import Action, Priority, ProgressUpdate, UpdateKind
from .plan_columns import PLAN_COLUMNS
from .rag import CLOSED_STATUSES, RAG_SEVERITY, Clock, Rag, Status

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Timeline entries that record who may work on an action rather than how it is going.
_BOOKKEEPING_KINDS = (
    UpdateKind.REASSIGNED,
    UpdateKind.CONTRIBUTORS_CHANGED,
    UpdateKind.ESCALATED,
)
# Statuses in which an action still needs work: an inspection with one has an open plan.
_UNFINISHED = [s for s in Status.values if s not in CLOSED_STATUSES]


# --- Reading the plan ---------------------------------------------------------------------


@dataclass
class FindingPlan:
    finding: Finding  # with .summary (a ProgressSummary)
    actions: list[Action] = field(default_factory=list)  # with .assessment and .latest_*


@dataclass
class InspectionPlan:
    inspection: Inspection  # with .summary, its judgements prefetched
    findings: list[FindingPlan]


def _inspections(council: Council, clock: Clock) -> QuerySet[Inspection]:
    return (
        Inspection.objects.for_council(council)
        .with_progress(clock)
        .with_priority_flag()
        .select_related("council")
        .prefetch_related("judgements")
        .order_by("-start_date", "-pk")
    )


def _actions(inspection_ids: list[int], clock: Clock) -> QuerySet[Action]:
    latest = (
        ProgressUpdate.objects.filter(action=OuterRef("pk"))
        .exclude(kind__in=_BOOKKEEPING_KINDS)
        .order_by("-created_at", "-id")
    )
    return (
        Action.objects.filter(finding__inspection__in=inspection_ids)
        .select_related("owner")
        .annotate(
            latest_note=Subquery(latest.values("note")[:1]),
            latest_at=Subquery(latest.values("created_at")[:1]),
        )
        .order_by("due_date", "id")
    )


def _plans(inspections: Iterable[Inspection], clock: Clock) -> list[InspectionPlan]:
    """The findings and actions of these inspections: two queries however many there are."""
    inspections = with_summary(inspections, clock)
    by_pk = {inspection.pk: inspection for inspection in inspections}
    findings = with_summary(
        Finding.objects.filter(inspection__in=list(by_pk))
        .with_progress(clock)
        .order_by("inspection", "position"),
        clock,
    )
    finding_plans = {}
    per_inspection = defaultdict(list)
    for finding in findings:
        finding.inspection = by_pk[finding.inspection_id]
        finding_plans[finding.pk] = FindingPlan(finding)
        per_inspection[finding.inspection_id].append(finding_plans[finding.pk])
    for action in _actions(list(by_pk), clock):
        plan = finding_plans[action.finding_id]
        action.finding = plan.finding
        action.assessment = action.assess(clock)
        plan.actions.append(action)
    return [InspectionPlan(i, per_inspection[i.pk]) for i in inspections]


def inspection_plan(council: Council, pk: int, clock: Clock) -> InspectionPlan:
    """One inspection's plan; a 404 when the inspection is not the council's."""
    inspection = get_object_or_404(_inspections(council, clock), pk=pk)
    return _plans([inspection], clock)[0]


def open_plans(council: Council, clock: Clock) -> list[InspectionPlan]:
    """Every inspection with an action still to finish, and the latest one: newest first."""
    unfinished = Action.objects.filter(finding__inspection=OuterRef("pk"), status__in=_UNFINISHED)
    latest = Inspection.objects.for_council(council).order_by("-start_date", "-pk")
    inspections = _inspections(council, clock).filter(
        Q(Exists(unfinished)) | Q(pk=Subquery(latest.values("pk")[:1]))
    )
    return _plans(inspections, clock)


# --- Rows ---------------------------------------------------------------------------------

_CAPITALS = re.compile(r"^\w")


def _sentence(text: str) -> str:
    return _CAPITALS.sub(lambda m: m.group().upper(), text)


def _row(**values) -> list:
    """Values by column key, as a list in PLAN_COLUMNS' order (None where empty)."""
    return [values.get(column.key) for column in PLAN_COLUMNS]


def _rag_counts(summary) -> str:
    return ", ".join(f"{summary.counts[rag]} {rag.label.lower()}" for rag in RAG_SEVERITY)


def finding_row(plan: FindingPlan) -> list:
    """A finding's group row: number, short title and text, and its progress. No action."""
    finding, summary = plan.finding, plan.finding.summary
    reason = _sentence(summary.reason)
    if summary.action_count:
        reason = f"{reason}. {_sentence(_rag_counts(summary))}"
    return _row(
        finding_number=finding.position,
        finding=plan_columns.finding_cell(finding.short_title, finding.text),
        priority=plan_columns.PRIORITY_ACTION_WORDS if finding.is_priority_action else None,
        rag=summary.worst.label if summary.worst else None,
        rag_reason=reason,
        percent_complete=summary.progress,
    )


def action_row(action: Action) -> list:
    finding = action.finding
    latest_at = action.latest_at
    return _row(
        finding_number=finding.position,
        finding=finding.short_title,
        title=action.title,
        description=action.description or None,
        owner=_person(action.owner),
        lead_service=action.lead_service or None,
        priority=action.get_priority_display(),
        start_date=action.start_date,
        due_date=action.due_date,
        revised_due_date=action.revised_due_date,
        status=action.get_status_display(),
        rag=action.assessment.rag.label,
        rag_reason=_sentence(action.assessment.reason),
        percent_complete=action.percent_complete,
        latest_update=action.latest_note or None,
        latest_update_date=timezone.localdate(latest_at) if latest_at else None,
        success_measure=action.success_measure or None,
    )


def plan_rows(plan: InspectionPlan) -> Iterator[tuple[bool, list]]:
    """(is_finding_row, values) for each row of the table, in order."""
    for finding_plan in plan.findings:
        yield True, finding_row(finding_plan)
        for action in finding_plan.actions:
            yield False, action_row(action)


# --- CSV ----------------------------------------------------------------------------------


def plan_csv(plan: InspectionPlan) -> str:
    """The table as CSV: the headings, then the same finding and action rows as the workbook."""
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(plan_columns.HEADINGS)
    for _, values in plan_rows(plan):
        # actions.exports' cell text: dates as 2025-03-31, and formulas neutralised.
        writer.writerow([_csv_text(value) for value in values])
    # A byte-order mark so that Excel reads the file as UTF-8.
    return "\ufeff" + output.getvalue()


# --- The workbook -------------------------------------------------------------------------

# Each colour's fill and text, from the GOV.UK Design System's tags: dark text on a
# light fill, every pair well above the 4.5:1 contrast WCAG asks of text.
RAG_STYLES: dict[str, tuple[str, str]] = {
    Rag.RED.label: ("F4CDC6", "2A0B06"),
    Rag.AMBER.label: ("FFF7BF", "594D00"),
    Rag.GREEN.label: ("CCE2D8", "005A30"),
    Rag.BLUE.label: ("BBD4EA", "0C2D4A"),
    Rag.NOT_RATED.label: ("E5E6E7", "282D30"),
}
HEADER_FILL = "DEE0E2"
FINDING_FILL = "F3F2F1"
TEXT_COLOUR = "0B0C0C"

_WRAP = Alignment(wrap_text=True, vertical="top")
_RULE = Border(bottom=Side(style="thin", color="B1B4B6"))
_DATE_FORMAT = "dd/mm/yyyy"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_MAX = 31

_COLUMN_NUMBER = {column.key: number for number, column in enumerate(PLAN_COLUMNS, start=1)}
LAST_COLUMN = get_column_letter(len(PLAN_COLUMNS))


def _clean(value):
    """Text without the control characters a workbook cannot hold."""
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _set(cell, value) -> None:
    value = _clean(value)
    cell.value = value
    if isinstance(value, str):
        # Text stays text: openpyxl would otherwise store "=..." as a formula.
        cell.data_type = "s"
    elif isinstance(value, datetime.date):
        cell.number_format = _DATE_FORMAT


def _header_text(text: str) -> str:
    """Text for a printed page's header or footer, where '&' starts a code."""
    return _clean(text).replace("&", "&&")


# Shorter names boards use, so that a sheet's name keeps the focused visit's theme.
_SHEET_ABBREVIATIONS = (
    ("Focused visit: ", "FV "),
    ("Joint targeted area inspection", "JTAI"),
)


def _shortened(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a word boundary where there is one."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0]
    return (cut if 0 < len(cut) <= limit else text[:limit]).rstrip()


def sheet_name(inspection: Inspection, taken: set[str]) -> str:
    """Up to 31 characters, none that Excel forbids, and not a name already in `taken`.

    The inspection's title and month: "Standard inspection Mar 2024",
    "FV care leavers Jul 2025"; a second sheet of the same name gets " (2)".
    """
    title = inspection.title
    for long, short in _SHEET_ABBREVIATIONS:
        title = title.replace(long, short)
    when = f" {inspection.start_date:%b %Y}"
    base = _SHEET_NAME_FORBIDDEN.sub("", title).strip(" '")
    number = 1
    while True:
        suffix = when if number == 1 else f"{when} ({number})"
        name = _shortened(base, SHEET_NAME_MAX - len(suffix)) + suffix
        if name.casefold() not in {t.casefold() for t in taken}:
            taken.add(name)
            return name
        number += 1


def _on_site(inspection: Inspection) -> str:
    if inspection.start_date == inspection.end_date:
        return f"{inspection.start_date:%-d %B %Y}"
    return f"{inspection.start_date:%-d %B %Y} to {inspection.end_date:%-d %B %Y}"


def title_lines(plan: InspectionPlan, clock: Clock) -> list[str]:
    """The title block: exactly plan_columns.TITLE_ROWS lines."""
    inspection, summary = plan.inspection, plan.inspection.summary
    published = (
        f"published {inspection.published_on:%-d %B %Y}"
        if inspection.published_on
        else "not yet published"
    )
    judgements = judgements_in_order(inspection)
    if judgements:
        grades = "Grades: " + "; ".join(
            f"{j.get_area_display()}: {grade_label(inspection, j.grade)}" for j in judgements
        )
    elif inspection.is_graded:
        grades = "Grades: not recorded yet"
    else:
        grades = f"Grades: none (a {inspection.get_kind_display().lower()} is not graded)"
    deadline = inspection.plan_deadline
    if deadline:
        due = (
            f"Action plan due to Ofsted: {deadline.plan_due:%-d %B %Y} "
            "(70 working days after publication)"
        )
        if deadline.early_draft_due:
            due += (
                f"; early draft due {deadline.early_draft_due:%-d %B %Y} "
                "(the report names areas for priority action)"
            )
    else:
        due = "Action plan due to Ofsted: 70 working days after the report is published"
    if summary.action_count:
        progress = (
            f"Progress: {summary.progress}% across {summary.action_count} "
            f"live action{'s' if summary.action_count != 1 else ''} "
            f"({_rag_counts(summary)}). {_sentence(summary.label)}"
        )
    else:
        progress = "Progress: no actions yet"
    return [
        inspection.council.name,
        f"{inspection.title}: action plan as at {clock.today:%-d %B %Y}",
        f"On site {_on_site(inspection)}; {published}",
        grades,
        due,
        progress,
    ]


def _style_rag(cell) -> None:
    fill, text = RAG_STYLES.get(cell.value, (None, None))
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)
        cell.font = Font(bold=True, color=text)


def _set_columns(sheet: Worksheet, columns) -> None:
    for number, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = column.width


def _write_header(sheet: Worksheet, row: int, columns) -> None:
    fill = PatternFill("solid", start_color=HEADER_FILL, end_color=HEADER_FILL)
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=number, value=column.heading)
        cell.font = Font(bold=True, color=TEXT_COLOUR)
        cell.fill = fill
        cell.alignment = _WRAP
        cell.border = _RULE


def _print_setup(sheet: Worksheet, council_name: str, right: str, clock: Clock) -> None:
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages tall as it takes
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.gridLines = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.oddHeader.left.text = _header_text(council_name)
    sheet.oddHeader.right.text = _header_text(right)
    sheet.oddFooter.left.text = f"As at {clock.today:%-d %B %Y}"
    sheet.oddFooter.right.text = "Page &P of &N"


def write_plan_sheet(sheet: Worksheet, plan: InspectionPlan, clock: Clock) -> None:
    _set_columns(sheet, PLAN_COLUMNS)
    for row, line in enumerate(title_lines(plan, clock), start=1):
        _set(sheet.cell(row=row, column=1), line)
        sheet.cell(row=row, column=1).font = Font(bold=row <= 2, size=14 if row == 1 else 11)
    header_row = plan_columns.EXPORT_HEADER_ROW
    _write_header(sheet, header_row, PLAN_COLUMNS)

    finding_fill = PatternFill("solid", start_color=FINDING_FILL, end_color=FINDING_FILL)
    finding_font = Font(bold=True, color=TEXT_COLOUR)
    rag_column = _COLUMN_NUMBER["rag"]
    row = header_row
    for is_finding, values in plan_rows(plan):
        row += 1
        for number, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=number)
            _set(cell, value)
            cell.alignment = _WRAP
            if is_finding:
                cell.fill = finding_fill
                cell.font = finding_font
        _style_rag(sheet.cell(row=row, column=rag_column))
        if not is_finding:
            # Actions fold under their finding's row.
            sheet.row_dimensions[row].outline_level = 1

    sheet.sheet_properties.outlinePr.summaryBelow = False
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{LAST_COLUMN}{row}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    inspection = plan.inspection
    _print_setup(
        sheet,
        inspection.council.name,
        f"{inspection.title}, {inspection.start_date:%B %Y}",
        clock,
    )


def _saved(workbook: Workbook):
    output = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES)  # noqa: SIM115 - returned open
    workbook.save(output)
    output.seek(0)
    return output


def plan_workbook(plans: list[InspectionPlan], council: Council, clock: Clock) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    for plan in plans:
        write_plan_sheet(workbook.create_sheet(sheet_name(plan.inspection, taken)), plan, clock)
    if not plans:
        sheet = workbook.create_sheet("Action plan")
        _set(sheet["A1"], council.name)
        _set(sheet["A2"], f"No inspections on record as at {clock.today:%-d %B %Y}.")
    workbook.properties.title = f"{council.name}: action plan"
    workbook.properties.creator = "Improvement Tracker"
    return workbook


def plan_xlsx_file(plans: list[InspectionPlan], council: Council, clock: Clock):
    """The workbook as an open temporary file positioned at its start."""
    return _saved(plan_workbook(plans, council, clock))


def plan_filename(council: Council, extension: str, clock: Clock, inspection=None) -> str:
    what = (
        f"-{inspection.kind.replace('_', '-')}-{inspection.start_date:%Y-%m}" if inspection else ""
    )
    return f"action-plan-{council.slug}{what}-{clock.today:%Y-%m-%d}.{extension}"


# --- The template -------------------------------------------------------------------------

TEMPLATE_FILENAME = "action-plan-template.xlsx"

EXAMPLE_ROW = {
    "finding_number": 1,
    "finding": "Management oversight and supervision",
    "title": "Monthly audit of supervision records",
    "description": (
        "Team managers audit five supervision records each month against the practice "
        "standards; findings go to the quality assurance board."
    ),
    "owner": "Sarah Okafor",
    "lead_service": "Quality assurance",
    "priority": Priority.HIGH.label,
    "start_date": datetime.date(2025, 4, 1),
    "due_date": datetime.date(2025, 9, 30),
    "revised_due_date": None,
    "status": Status.IN_PROGRESS.label,
    "percent_complete": 40,
    "latest_update": "First three monthly audits done; the audit tool is being refined.",
    "latest_update_date": datetime.date(2025, 6, 30),
    "success_measure": "90% of supervision records meet the standard in two audits running.",
}


def _notes_rows() -> list[tuple[str, str, str]]:
    rows = [("Column", "Required", "What to enter")]
    rows += [
        (column.heading, "Yes" if column.required else "No", column.help)
        for column in plan_columns.imported_columns()
    ]
    rows += [
        ("", "", ""),
        ("Rows", "", ""),
        (
            "One row per action",
            "",
            "Repeat the finding's number (or text) on each of its actions. A row with a "
            "finding but no action title is read as the finding itself, not an action.",
        ),
        ("", "", ""),
        ("Dates", "", ""),
        (
            "Accepted formats",
            "",
            "Cells Excel stores as dates, or text such as "
            + ", ".join(plan_columns.DATE_EXAMPLES)
            + ". Always day before month.",
        ),
        ("", "", ""),
        ("Percent complete", "", ""),
        (
            "0 to 100",
            "",
            "A whole number from 0 to 100, without the % sign. Complete actions are 100.",
        ),
        ("", "", ""),
        ("RAG", "", ""),
        (
            "Computed, never read",
            "",
            "The tracker works out each action's RAG rating (red, amber, green, blue) and its "
            "reason from the status and the dates. A RAG column or coloured cells in your sheet "
            "are ignored.",
        ),
        ("", "", ""),
        ("Statuses", "", "Words accepted for each status (capitals do not matter)"),
    ]
    rows += [
        (status.label, "", "; ".join(words)) for status, words in plan_columns.STATUS_WORDS.items()
    ]
    rows += [("", "", ""), ("Priorities", "", "Words accepted for each priority")]
    rows += [
        (priority.label, "", "; ".join(words))
        for priority, words in plan_columns.PRIORITY_WORDS.items()
    ]
    return rows


# Rows of the notes sheet that head a section: bold.
_NOTES_SECTIONS = {"Column", "Rows", "Dates", "Percent complete", "RAG", "Statuses", "Priorities"}


def template_workbook() -> Workbook:
    """Our columns with one example row, and a notes sheet explaining each column."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = plan_columns.TEMPLATE_SHEET_TITLE
    columns = plan_columns.imported_columns()
    header_row = plan_columns.TEMPLATE_HEADER_ROW
    _set_columns(sheet, columns)
    _write_header(sheet, header_row, columns)
    for number, column in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row + 1, column=number)
        _set(cell, EXAMPLE_ROW.get(column.key))
        cell.alignment = _WRAP
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(columns))}{header_row + 1}"
    sheet.print_title_rows = f"{header_row}:{header_row}"
    _validate(sheet, columns, header_row)

    notes = workbook.create_sheet(plan_columns.NOTES_SHEET_TITLE)
    notes.column_dimensions["A"].width = 30
    notes.column_dimensions["B"].width = 10
    notes.column_dimensions["C"].width = 90
    for row, values in enumerate(_notes_rows(), start=1):
        for number, value in enumerate(values, start=1):
            cell = notes.cell(row=row, column=number)
            _set(cell, value or None)
            cell.alignment = _WRAP
        if values[0] in _NOTES_SECTIONS:
            for number in range(1, 4):
                notes.cell(row=row, column=number).font = Font(bold=True)
    workbook.properties.title = "Action plan template"
    workbook.properties.creator = "Improvement Tracker"
    return workbook


def _validate(sheet: Worksheet, columns, header_row: int) -> None:
    """Warn (without refusing) on a percent outside 0 to 100 or a priority we do not know."""
    letters = {column.key: get_column_letter(n) for n, column in enumerate(columns, start=1)}
    first, last = header_row + 1, 5000
    percent = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        errorStyle="warning",
        error="A whole number from 0 to 100, without the % sign.",
        errorTitle="Percent complete",
    )
    percent.add(f"{letters['percent_complete']}{first}:{letters['percent_complete']}{last}")
    priority = DataValidation(
        type="list",
        formula1='"' + ",".join(p.label for p in Priority) + '"',
        allow_blank=True,
        errorStyle="warning",
    )
    priority.add(f"{letters['priority']}{first}:{letters['priority']}{last}")
    sheet.add_data_validation(percent)
    sheet.add_data_validation(priority)


def template_xlsx_file():
    return _saved(template_workbook())
