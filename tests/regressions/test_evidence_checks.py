"""The evidence checks' edges (actions/validators.py): the size limit, and the upload left
as it was found. Written for the mutation run (docs/testing.md)."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from actions.validators import validate_evidence_file

from .conftest import PDF

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_a_file_of_exactly_the_limit_is_accepted(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF)
    validate_evidence_file(SimpleUploadedFile("report.pdf", PDF))


def test_a_file_one_byte_over_the_limit_is_refused(settings):
    settings.EVIDENCE_MAX_BYTES = len(PDF) - 1
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(SimpleUploadedFile("report.pdf", PDF))
    assert caught.value.code == "file_size"


def test_checking_the_content_leaves_the_file_where_it_was():
    upload = SimpleUploadedFile("scan.png", PNG)
    upload.seek(5)
    validate_evidence_file(upload)
    assert upload.tell() == 5
    upload.seek(0)
    assert upload.read() == PNG, "nothing was consumed"


def test_an_eight_byte_signature_is_recognised():
    validate_evidence_file(SimpleUploadedFile("scan.png", PNG))
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(SimpleUploadedFile("scan.png", PNG[:7] + b"!" + PNG[8:]))
    assert caught.value.code == "file_content"


@pytest.mark.parametrize("name", ["notes", "report.pdf.exe", "evil.exe"])
def test_names_without_an_accepted_extension_are_refused(name):
    with pytest.raises(ValidationError) as caught:
        validate_evidence_file(SimpleUploadedFile(name, b"text"))
    assert caught.value.code == "file_type"
    assert f"“{name}” is not a file type we accept" in caught.value.messages[0]


def test_a_kind_without_a_signature_is_not_read():
    """Plain text has no signature to check: any content is accepted."""
    validate_evidence_file(SimpleUploadedFile("notes.txt", b"MZ\x90\x00 anything at all"))


class Untellable:
    """An upload that cannot say where it is (no tell()): it is left at its start."""

    def __init__(self, name, content):
        self.name, self.size, self._content, self.seeks = name, len(content), content, []

    def seek(self, position):
        self.seeks.append(position)

    def read(self, size):
        return self._content[:size]


def test_an_upload_without_tell_is_left_at_its_start():
    upload = Untellable("scan.png", PNG)
    validate_evidence_file(upload)
    assert upload.seeks == [0, 0]
