"""Export a plan, import it into an empty inspection, export again: the same workbook content."""

import io

import openpyxl
import pytest

from actions import plan_export, plan_import
from actions.import_services import import_plan
from actions.models import Action
from actions.rag import Clock
from tests.factories import InspectionFactory, JudgementFactory
from tests.web.conftest import build_plan

pytestmark = pytest.mark.django_db


def _twin(inspection):
    """An empty inspection like the original: same kind, dates and grades."""
    twin = InspectionFactory(
        council=inspection.council,
        kind=inspection.kind,
        start_date=inspection.start_date,
        end_date=inspection.end_date,
        published_on=inspection.published_on,
        lead_inspector=inspection.lead_inspector,
    )
    for judgement in inspection.judgements.all():
        JudgementFactory(inspection=twin, area=judgement.area, grade=judgement.grade)
    return twin


def _values(content: bytes) -> dict[str, list[tuple]]:
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    return {
        sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()]
        for sheet in workbook.worksheets
    }


def _export_xlsx(inspection, clock) -> bytes:
    plan = plan_export.inspection_plan(inspection.council, inspection.pk, clock)
    return plan_export.plan_xlsx_file([plan], inspection.council, clock).read()


def _export_csv(inspection, clock) -> bytes:
    plan = plan_export.inspection_plan(inspection.council, inspection.pk, clock)
    return plan_export.plan_csv(plan).encode("utf-8")


def _import(content: bytes, filename: str, inspection, manager):
    sheet = plan_import.read_plan_file(content, filename)
    mapping = plan_import.guess_mapping(sheet.headers)
    preview = plan_import.preview_plan(sheet, mapping, inspection=inspection, importer=manager)
    assert not preview.problems, [str(p) for p in preview.problems]
    return import_plan(inspection=inspection, imported_by=manager, sheet=sheet, mapping=mapping)


@pytest.mark.parametrize(
    ("export", "filename"), [(_export_xlsx, "plan.xlsx"), (_export_csv, "plan.csv")]
)
def test_export_import_export_gives_the_same_content(council, staff, manager, export, filename):
    original = build_plan(council, findings=3, actions_per_finding=4, owner=staff).inspection
    clock = Clock.current()
    first = export(original, clock)

    twin = _twin(original)
    result = _import(first, filename, twin, manager)
    assert result.actions == 12 and result.new_findings == 3

    second = export(twin, Clock.current())
    if filename.endswith(".xlsx"):
        assert _values(second) == _values(first)
    else:
        assert second.decode() == first.decode()
    assert Action.objects.filter(finding__inspection=twin).count() == 12
