"""The import pages: upload, columns, check, confirm; who may use them; what they remember."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions import plan_import_views
from actions.models import Action, PlanImportMapping, ProgressUpdate
from inspections.models import Finding
from tests.factories import InspectionFactory
from tests.web.conftest import count_queries

from .conftest import COUNCIL_HEADINGS, council_row, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def urls(inspection) -> dict[str, str]:
    return {
        step: reverse(f"inspection_plan_import{suffix}", args=[inspection.pk])
        for step, suffix in (
            ("upload", ""),
            ("columns", "_columns"),
            ("check", "_check"),
            ("cancel", "_cancel"),
        )
    }


def upload(client, inspection, content: bytes, name="plan.xlsx"):
    return client.post(urls(inspection)["upload"], {"plan_file": SimpleUploadedFile(name, content)})


def mapping_post(response) -> dict[str, str]:
    """The column form as the page filled it in (its guesses), ready to send back."""
    form = response.context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else str(value)
    return data


def plan_file(**changes) -> bytes:
    rows = [
        council_row(update="Three audits done.", updated="30/04/2025"),
        council_row(
            number=2,
            finding="Care leavers' pathway plans",
            action="Review every pathway plan",
            owner="sarah okafor",
            status="Not yet started",
            percent=0,
        ),
    ]
    return xlsx_bytes([COUNCIL_HEADINGS, *rows], title_rows=["Testshire action plan", ""])


def test_the_inspection_page_links_managers_to_the_import(manager_client, staff_client, inspection):
    page = reverse("inspection_detail", args=[inspection.pk])
    assert "Import actions from a spreadsheet" in manager_client.get(page).content.decode()
    assert "Import actions from a spreadsheet" not in staff_client.get(page).content.decode()


def test_the_whole_flow_imports_the_plan_and_remembers_the_columns(
    manager_client, inspection, staff, manager, today
):
    response = upload(manager_client, inspection, plan_file())
    assert response.status_code == 302
    assert response["Location"] == urls(inspection)["columns"]

    response = manager_client.get(urls(inspection)["columns"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "RAG in the file is never read" in page and "F: RAG" in page
    data = mapping_post(response)
    assert data["owner"] == "3" and data["due_date"] == "4" and data["latest_update"] == "8", data
    assert data["title"] == "2" and data["finding_number"] == "0" and data["finding"] == "1"
    assert Action.objects.count() == 0

    response = manager_client.post(urls(inspection)["columns"], data)
    assert response.status_code == 302 and response["Location"] == urls(inspection)["check"]
    remembered = PlanImportMapping.objects.get(council=inspection.council).mapping
    assert remembered["owner"] == "Lead officer" and "rag" not in remembered

    response = manager_client.get(urls(inspection)["check"])
    page = response.content.decode()
    assert response.status_code == 200
    assert "Import 2 actions" in page, page
    assert "There is a problem" not in page
    assert Action.objects.count() == 0, "the preview writes nothing"

    response = manager_client.post(urls(inspection)["check"])
    assert response.status_code == 302
    assert response["Location"] == reverse("inspection_detail", args=[inspection.pk])
    assert Action.objects.filter(finding__inspection=inspection).count() == 2
    assert Finding.objects.filter(inspection=inspection).count() == 2, "both findings matched"
    audit = Action.objects.get(title="Audit supervision")
    assert audit.owner == staff and audit.status == "in_progress" and audit.percent_complete == 40
    update = audit.updates.get()
    assert update.note == "Three audits done."
    assert update.created_at.date().isoformat() == "2025-04-30"
    assert not list(plan_import_views.imports_dir().iterdir()), "the file is deleted once imported"
    assert plan_import_views.SESSION_KEY not in manager_client.session

    # The next upload starts from the columns chosen last time.
    renamed = [*COUNCIL_HEADINGS]
    renamed[3] = "Lead officer"
    upload(manager_client, inspection, xlsx_bytes([renamed, council_row(action="Another")]))
    data = mapping_post(manager_client.get(urls(inspection)["columns"]))
    assert data["owner"] == "3"


def test_a_remembered_column_beats_the_guess(manager_client, inspection, manager):
    headings = [*COUNCIL_HEADINGS]
    headings[8] = "Notes"  # guessed as the latest update
    headings.append("Narrative")
    PlanImportMapping.objects.create(
        council=inspection.council, mapping={"latest_update": "Narrative"}
    )
    upload(manager_client, inspection, xlsx_bytes([headings, [*council_row(), "Told the board"]]))
    data = mapping_post(manager_client.get(urls(inspection)["columns"]))
    assert data["latest_update"] == "10"


def test_the_column_form_refuses_a_column_used_twice_and_missing_required_ones(
    manager_client, inspection
):
    upload(manager_client, inspection, plan_file())
    data = mapping_post(manager_client.get(urls(inspection)["columns"]))
    data.update(start_date=data["due_date"], title="")
    response = manager_client.post(urls(inspection)["columns"], data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "E: Deadline is already chosen for" in page
    assert "Choose the column for Action" in page


def test_a_problem_is_listed_by_row_and_column_and_nothing_is_written(manager_client, inspection):
    rows = [
        COUNCIL_HEADINGS,
        council_row(due="31/02/2025"),
        council_row(action="B", owner="Nobody"),
    ]
    upload(manager_client, inspection, xlsx_bytes(rows))
    manager_client.post(
        urls(inspection)["columns"], mapping_post(manager_client.get(urls(inspection)["columns"]))
    )
    page = manager_client.get(urls(inspection)["check"]).content.decode()
    assert "There are problems with the plan" in page
    assert "Row 2, Deadline: “31/02/2025” is not a date" in page
    assert "Row 3, Lead officer: “Nobody” is not a member of" in page
    assert 'href="#problem-1"' in page and 'id="problem-1"' in page
    assert "Import 2 actions" not in page
    response = manager_client.post(urls(inspection)["check"])
    assert response.status_code == 200
    assert Action.objects.count() == 0 and ProgressUpdate.objects.count() == 0
    assert Finding.objects.filter(inspection=inspection).count() == 2


def test_a_placeholder_owner_holds_unknown_owners_actions(manager_client, inspection, other_staff):
    rows = [COUNCIL_HEADINGS, council_row(owner="Jo Bloggs (Head of Service)")]
    upload(manager_client, inspection, xlsx_bytes(rows))
    data = mapping_post(manager_client.get(urls(inspection)["columns"]))
    page = manager_client.post(urls(inspection)["columns"], data)
    page = manager_client.get(urls(inspection)["check"]).content.decode()
    assert "Owners who are not members" in page and "Jo Bloggs (Head of Service)" in page
    data["placeholder_owner"] = str(other_staff.pk)
    manager_client.post(urls(inspection)["columns"], data)
    page = manager_client.get(urls(inspection)["check"]).content.decode()
    assert "Import 1 action" in page, page
    manager_client.post(urls(inspection)["check"])
    action = Action.objects.get()
    assert action.owner == other_staff
    assert "Owner in the imported plan: Jo Bloggs (Head of Service)." in action.description


def test_cancel_deletes_the_file_and_writes_nothing(manager_client, inspection):
    upload(manager_client, inspection, csv_bytes([COUNCIL_HEADINGS, council_row()]), "plan.csv")
    kept = sorted(path.suffix for path in plan_import_views.imports_dir().iterdir())
    assert kept == [".csv", ".json"], "the file, and the sheet as read"
    response = manager_client.post(urls(inspection)["cancel"])
    assert response.status_code == 302
    assert not list(plan_import_views.imports_dir().iterdir())
    assert manager_client.get(urls(inspection)["check"])["Location"] == urls(inspection)["upload"]
    assert Action.objects.count() == 0


def test_files_left_behind_are_removed_a_day_later(manager_client, inspection):
    import os
    import time

    folder = plan_import_views.imports_dir()
    folder.mkdir(parents=True)
    old, recent = folder / ("a" * 32 + ".xlsx"), folder / ("b" * 32 + ".xlsx")
    old.write_bytes(b"old")
    recent.write_bytes(b"recent")
    two_days_ago = time.time() - 2 * 24 * 60 * 60
    os.utime(old, (two_days_ago, two_days_ago))
    upload(manager_client, inspection, plan_file())
    assert not old.exists() and recent.exists()


def test_a_forged_session_cannot_reach_other_files(manager_client, inspection, media_root):
    secret = media_root / "evidence" / "secret.csv"
    secret.parent.mkdir(parents=True)
    secret.write_text("Action,Deadline\nSecret,31/03/2025\n")
    session = manager_client.session
    session[plan_import_views.SESSION_KEY] = {
        "inspection": inspection.pk,
        "council": inspection.council_id,
        "token": "../evidence/secret",
        "kind": "csv",
        "mapping": {"title": 0, "due_date": 1},
    }
    session.save()
    response = manager_client.get(urls(inspection)["check"])
    assert response.status_code == 302 and response["Location"] == urls(inspection)["upload"]


def test_without_an_upload_the_later_steps_send_you_back(manager_client, inspection):
    for step in ("columns", "check"):
        response = manager_client.get(urls(inspection)[step])
        assert response.status_code == 302 and response["Location"] == urls(inspection)["upload"]


def test_an_upload_for_one_inspection_is_not_used_for_another(manager_client, inspection, council):
    upload(manager_client, inspection, plan_file())
    other = InspectionFactory(council=council)
    response = manager_client.get(urls(other)["columns"])
    assert response["Location"] == urls(other)["upload"]


@pytest.mark.parametrize("step", ["upload", "columns", "check", "cancel"])
def test_staff_are_refused(staff_client, inspection, step):
    if step != "cancel":
        assert staff_client.get(urls(inspection)[step]).status_code == 403
    assert staff_client.post(urls(inspection)[step]).status_code == 403


@pytest.mark.parametrize("step", ["upload", "columns", "check", "cancel"])
def test_another_councils_inspection_is_not_found(manager_client, step):
    elsewhere = InspectionFactory()
    if step != "cancel":
        assert manager_client.get(urls(elsewhere)[step]).status_code == 404
    assert manager_client.post(urls(elsewhere)[step]).status_code == 404


def test_a_hostile_upload_is_an_error_on_the_page(manager_client, inspection):
    response = upload(manager_client, inspection, b"%PDF-1.4 not a plan", "plan.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page and "is not an Excel workbook" in page
    assert not plan_import_views.imports_dir().exists() or not list(
        plan_import_views.imports_dir().iterdir()
    )


def test_the_check_page_runs_the_same_queries_for_2_and_2000_rows(
    manager_client, inspection, staff
):
    counts = []
    for size in (2, 2000):
        rows = [council_row(action=f"Action {n}", percent=n % 100) for n in range(size)]
        upload(manager_client, inspection, xlsx_bytes([COUNCIL_HEADINGS, *rows]))
        manager_client.post(
            urls(inspection)["columns"],
            mapping_post(manager_client.get(urls(inspection)["columns"])),
        )
        count, sql = count_queries(manager_client, urls(inspection)["check"])
        counts.append(count)
    assert counts[0] == counts[1], f"{counts}: the check page's queries grow with the rows"
    assert counts[0] <= 12, f"{counts[0]} queries: {sql}"


def test_the_preview_lists_findings_and_the_first_actions(manager_client, inspection, staff):
    rows = [council_row(action=f"Action {n}") for n in range(60)]
    rows.append(council_row(number="", finding="Early help", action="Early help audit"))
    upload(manager_client, inspection, xlsx_bytes([COUNCIL_HEADINGS, *rows]))
    manager_client.post(
        urls(inspection)["columns"], mapping_post(manager_client.get(urls(inspection)["columns"]))
    )
    page = manager_client.get(urls(inspection)["check"]).content.decode()
    assert "Actions: the first 50 of 61" in page
    assert re.search(r"3\. Early help</th>\s*<td[^>]*><strong[^>]*>New</strong>", page), page
