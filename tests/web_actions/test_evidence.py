"""Evidence files: checked before anything is saved, kept privately, given only to members."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import ProgressUpdate
from councils.models import Role
from tests.factories import MembershipFactory, ProgressUpdateFactory, UserFactory

from .conftest import signed_in

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def stored_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(path) for path in root.rglob("*") if path.is_file()}


def upload(client, action, name, content, **data):
    return client.post(
        reverse("action_log_progress", args=[action.pk]),
        {
            "note": "Audit attached.",
            "status": "in_progress",
            "percent_complete": "30",
            "evidence_file": SimpleUploadedFile(name, content),
            **data,
        },
    )


def test_an_accepted_file_is_kept_under_media_root_with_its_name(staff_client, action):
    response = upload(staff_client, action, "Audit report (March).pdf", PDF)
    assert response.status_code == 302
    update = ProgressUpdate.objects.get(action=action)
    assert update.evidence_file_name == "Audit report (March).pdf"
    path = Path(update.evidence_file.path)
    assert path.is_file() and path.read_bytes() == PDF
    assert str(path).startswith(str(Path(settings.MEDIA_ROOT)))
    assert not str(path).startswith(str(Path(settings.STATIC_ROOT)))
    # Stored under a random name, not the one uploaded.
    assert "Audit report" not in path.name
    page = staff_client.get(reverse("action_detail", args=[action.pk])).content.decode()
    assert reverse("evidence_download", args=[update.pk]) in page
    assert "Download Audit report (March).pdf" in page


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("program.exe", b"MZ\x90\x00", "is not a file type we accept"),
        ("page.html", b"<script>alert(1)</script>", "is not a file type we accept"),
        ("report.pdf", b"MZ\x90\x00 not really a pdf", "does not look like a PDF file"),
        ("photo.png", b"GIF89a....", "does not look like a PNG image file"),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
)
def test_a_refused_file_is_explained_and_nothing_is_saved(
    staff_client, action, name, content, message
):
    files_before = stored_files()
    response = upload(staff_client, action, name, content)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html
    assert message in html
    assert 'href="#id_evidence_file"' in html
    assert ProgressUpdate.objects.count() == 0
    assert stored_files() == files_before
    assert "Audit attached." in html, "the note typed is kept"


def test_a_file_over_the_limit_is_refused(staff_client, action, settings):
    settings.EVIDENCE_MAX_BYTES = 1024
    files_before = stored_files()
    response = upload(staff_client, action, "big.pdf", PDF + b"0" * 2048)
    html = response.content.decode()
    assert "The file must be smaller than 1.0" in html
    assert ProgressUpdate.objects.count() == 0
    assert stored_files() == files_before


def test_a_good_file_with_other_errors_saves_nothing(staff_client, action):
    files_before = stored_files()
    response = upload(staff_client, action, "audit.pdf", PDF, percent_complete="500")
    assert "Percent complete must be a whole number" in response.content.decode()
    assert ProgressUpdate.objects.count() == 0
    assert stored_files() == files_before


@pytest.fixture
def evidence(staff_client, action):
    upload(staff_client, action, "Minutes – board.pdf", PDF)
    return ProgressUpdate.objects.get(action=action)


def test_members_download_the_file_with_its_original_name(request, evidence):
    for who in ("staff", "other_staff", "manager"):
        client = signed_in(request.getfixturevalue(who))
        response = client.get(reverse("evidence_download", args=[evidence.pk]))
        assert response.status_code == 200, who
        assert b"".join(response.streaming_content) == PDF
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        assert "Minutes" in disposition and ".pdf" in disposition
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "private" in response["Cache-Control"]


def test_another_councils_members_get_404(evidence, other_council):
    outsider = UserFactory()
    MembershipFactory(user=outsider, council=other_council, role=Role.ADMIN)
    response = signed_in(outsider).get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 404


def test_sign_in_is_required(client, evidence):
    response = client.get(reverse("evidence_download", args=[evidence.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_update_without_a_file_is_404(staff_client, action):
    update = ProgressUpdateFactory(action=action)
    assert staff_client.get(reverse("evidence_download", args=[update.pk])).status_code == 404


def test_a_file_missing_from_storage_is_404(staff_client, evidence):
    os.remove(evidence.evidence_file.path)
    assert staff_client.get(reverse("evidence_download", args=[evidence.pk])).status_code == 404
