"""Fixtures for the plan import: an inspection with two findings, the council's people,
and helpers that write spreadsheets as councils keep them."""

import csv
import datetime
import io

import pytest
from openpyxl import Workbook

from councils.models import Role
from tests.factories import FindingFactory, InspectionFactory, MembershipFactory, UserFactory
from tests.web.conftest import signed_in

# A council's own headings, not ours: the import must guess them.
COUNCIL_HEADINGS = [
    "AFI no.",
    "Area for improvement",
    "Action/Activity",
    "Lead officer",
    "Deadline",
    "RAG",
    "Status",
    "% complete",
    "Commentary",
    "Date of update",
]


def xlsx_bytes(rows: list[list], *, title_rows: list[str] = (), sheet="Plan") -> bytes:
    """A workbook: optional title lines in column A, then the rows (headings first)."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    for line in title_rows:
        worksheet.append([line])
    for row in rows:
        worksheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def csv_bytes(rows: list[list]) -> bytes:
    output = io.StringIO()
    csv.writer(output).writerows(rows)
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def council_row(
    number=1,
    finding="Supervision",
    action="Audit supervision",
    owner="Priya Shah",
    due="31/03/2025",
    rag="Red",
    status="On track",
    percent=40,
    update="",
    updated="",
) -> list:
    return [number, finding, action, owner, due, rag, status, percent, update, updated]


@pytest.fixture
def inspection(council):
    inspection = InspectionFactory(council=council)
    FindingFactory(
        inspection=inspection,
        position=1,
        short_title="Supervision",
        text="Supervision of social workers is not regular enough.",
    )
    FindingFactory(
        inspection=inspection,
        position=2,
        short_title="Care leavers' pathway plans",
        text="Pathway plans for care leavers are not updated when circumstances change.",
    )
    return inspection


@pytest.fixture
def admin(council):
    user = UserFactory(first_name="Alex", last_name="Morgan")
    MembershipFactory(user=user, council=council, role=Role.ADMIN)
    return user


@pytest.fixture
def manager_client(manager):
    return signed_in(manager)


@pytest.fixture
def staff_client(staff):
    return signed_in(staff)


@pytest.fixture
def today():
    return datetime.date.today()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test's uploads in a folder of its own, so a test sees only its own files."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def read(rows: list[list], headings=COUNCIL_HEADINGS, name="plan.xlsx"):
    """The sheet and the guessed mapping, as the columns page would propose them."""
    from actions import plan_import

    content = (
        csv_bytes([headings, *rows]) if name.endswith(".csv") else xlsx_bytes([headings, *rows])
    )
    sheet = plan_import.read_plan_file(content, name)
    return sheet, plan_import.guess_mapping(sheet.headers)


def preview(inspection, importer, rows, headings=COUNCIL_HEADINGS, placeholder=None):
    from actions import plan_import

    sheet, mapping = read(rows, headings)
    return plan_import.preview_plan(
        sheet, mapping, inspection=inspection, importer=importer, placeholder_owner=placeholder
    )


def plan_written(inspection) -> tuple[int, int, int]:
    """(findings, actions, timeline entries) under the inspection."""
    from actions.models import Action, ProgressUpdate
    from inspections.models import Finding

    return (
        Finding.objects.filter(inspection=inspection).count(),
        Action.objects.filter(finding__inspection=inspection).count(),
        ProgressUpdate.objects.filter(action__finding__inspection=inspection).count(),
    )
