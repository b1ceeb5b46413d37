"""Whatever the file holds, reading and checking it never fails with anything but a clear error."""

import datetime

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from actions import plan_import
from actions.plan_import import (
    KnownFinding,
    Person,
    PlanContext,
    PlanFileError,
    check_plan,
    read_plan_file,
)

from .conftest import COUNCIL_HEADINGS, council_row, csv_bytes, xlsx_bytes

EXAMPLES = hypothesis_settings(max_examples=60)

CONTEXT = PlanContext(
    findings=[KnownFinding(1, 1, "Supervision", "Supervision is not regular enough.")],
    people=[Person(7, "Priya Shah", "priya", "priya@example.org", "Priya", "Shah")],
    existing_titles=set(),
    importer_pk=99,
    today=datetime.date(2025, 6, 15),
)

cell = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=datetime.date(1900, 1, 1)),
    st.sampled_from(["31/02/2025", "Complete", "Green", "150%", "1.", "Finding 2: x", "\n\n"]),
)


@EXAMPLES
@given(content=st.binary(max_size=2000), name=st.sampled_from(["p.xlsx", "p.csv", "p", "p.xlsm"]))
def test_any_bytes_are_read_or_refused_plainly(content, name):
    try:
        read_plan_file(content, name)
    except PlanFileError as error:
        assert str(error)


@EXAMPLES
@given(rows=st.lists(st.lists(cell, min_size=0, max_size=12), min_size=1, max_size=12))
def test_any_cells_are_checked_without_an_exception(rows):
    sheet = plan_import.PlanSheet(
        name="Plan",
        sheet_names=["Plan"],
        headers=COUNCIL_HEADINGS,
        header_row=1,
        rows=[(number, tuple(cells)) for number, cells in enumerate(rows, start=2)],
    )
    preview = check_plan(sheet, plan_import.guess_mapping(COUNCIL_HEADINGS), CONTEXT)
    for action in preview.actions:
        assert action.title and action.due_date and action.owner_pk == 7
        assert 0 <= action.percent <= 100
        assert len(action.title) <= 200


@EXAMPLES
@given(text=st.text(max_size=300))
def test_any_csv_text_is_read_or_refused_plainly(text):
    try:
        sheet = read_plan_file(text.encode("utf-8"), "plan.csv")
    except PlanFileError:
        return
    check_plan(sheet, plan_import.guess_mapping(sheet.headers), CONTEXT)


@pytest.mark.parametrize("maker", [xlsx_bytes, csv_bytes])
@EXAMPLES
@given(update=st.text(max_size=200), status=st.text(max_size=20))
def test_any_update_and_status_text(maker, update, status):
    if maker is xlsx_bytes:  # a workbook cannot hold control characters at all
        update, status = (ILLEGAL_CHARACTERS_RE.sub("", text) for text in (update, status))
    content = maker([COUNCIL_HEADINGS, council_row(update=update, status=status)])
    name = "plan.xlsx" if maker is xlsx_bytes else "plan.csv"
    try:
        sheet = read_plan_file(content, name)
    except PlanFileError:
        return
    check_plan(sheet, plan_import.guess_mapping(sheet.headers), CONTEXT)


@pytest.mark.django_db
@hypothesis_settings(max_examples=25)
@given(
    values=st.dictionaries(
        st.sampled_from(
            [c.key for c in plan_import.target_columns()] + ["placeholder_owner", "sheet-sheet"]
        ),
        st.one_of(
            st.text(max_size=30),
            st.integers(min_value=-5, max_value=40).map(str),
            st.just("9" * 30),
        ),
    )
)
def test_the_column_form_never_fails(manager_client, inspection, staff, values):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from actions.models import Action

    base = f"/inspections/{inspection.pk}/import/"
    content = xlsx_bytes([COUNCIL_HEADINGS, council_row()])
    manager_client.post(base, {"plan_file": SimpleUploadedFile("p.xlsx", content)})
    values = {key: value.replace("\x00", "") for key, value in values.items()}
    response = manager_client.post(base + "columns/", values)
    assert response.status_code in (200, 302)
    response = manager_client.get(base + "check/")
    assert response.status_code in (200, 302)
    assert not Action.objects.exists(), "nothing is written before the import is confirmed"
