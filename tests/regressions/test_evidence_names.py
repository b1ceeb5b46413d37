"""Evidence files are recognised by their extension whatever its case: Report.PDF is a PDF."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions import services
from actions.models import ProgressUpdate
from actions.rag import Status
from actions.validators import validate_evidence_file

from .conftest import PDF, signed_in, written

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 16
DOCX = b"PK\x03\x04" + b"\x00" * 16


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("Report.PDF", PDF),
        ("report.Pdf", PDF),
        ("PHOTO.JPG", JPEG),
        ("Photo.Jpeg", JPEG),
        ("Scan.PNG", PNG),
        ("MINUTES.DOCX", DOCX),
        ("NOTES.TXT", b"Plain notes."),
    ],
)
def test_upper_case_extensions_are_accepted(name, content):
    validate_evidence_file(SimpleUploadedFile(name, content))


def test_upper_case_extension_still_checks_the_content():
    with pytest.raises(ValidationError, match="does not look like a PDF file") as caught:
        validate_evidence_file(SimpleUploadedFile("Report.PDF", b"MZ\x90\x00 a program"))
    assert caught.value.code == "file_content"


def test_the_service_stores_report_pdf_under_a_lower_case_extension(action, staff):
    update = services.log_progress(
        action=action,
        author=staff,
        note="Board report attached.",
        status=Status.IN_PROGRESS,
        percent_complete=40,
        evidence_file=SimpleUploadedFile("Report.PDF", PDF),
    )
    update.refresh_from_db()
    assert update.evidence_file_name == "Report.PDF"
    assert update.evidence_file.name.endswith(".pdf")


def test_the_progress_page_accepts_report_pdf(action, staff):
    response = signed_in(staff).post(
        reverse("action_log_progress", args=[action.pk]),
        {
            "note": "Board report attached.",
            "status": "in_progress",
            "percent_complete": "40",
            "evidence_file": SimpleUploadedFile("Report.PDF", PDF),
        },
    )
    assert response.status_code == 302
    assert ProgressUpdate.objects.get(action=action).evidence_file_name == "Report.PDF"


def test_a_refused_upper_case_program_writes_nothing(action, staff, media_root):
    before = written(action)
    response = signed_in(staff).post(
        reverse("action_log_progress", args=[action.pk]),
        {
            "note": "Attached.",
            "status": "in_progress",
            "percent_complete": "40",
            "evidence_file": SimpleUploadedFile("SETUP.EXE", b"MZ\x90\x00"),
        },
    )
    assert response.status_code == 200
    assert "is not a file type we accept" in response.content.decode()
    assert written(action) == before
    assert not any(media_root.rglob("*.*"))
