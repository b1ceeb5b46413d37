"""manage.py read_letter PATH --json: the contract of issue 7, exit codes, and no writes."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ..factories import CouncilFactory
from .helpers import CONTRACT_FIELDS, FIXTURES, REPO, expected, fixture_text, letter_pdf

pytestmark = pytest.mark.django_db


def run(path) -> dict:
    out = io.StringIO()
    call_command("read_letter", str(path), "--json", stdout=out)
    return json.loads(out.getvalue())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.parametrize(
    "name", ["jtai-2019", "ilacs-2018-standard", "monitoring-visit-2016-sif", "sif-2015-standard"]
)
def test_prints_the_contract_for_a_text_file(name):
    data = run(FIXTURES / f"{name}.txt")
    assert list(data) == [*CONTRACT_FIELDS, "not_found"]
    assert {field: data[field] for field in CONTRACT_FIELDS} == expected(name)
    assert all(isinstance(field, str) for field in data["not_found"])


def test_councils_come_from_the_database_with_their_other_names():
    # Durham is "County Durham" in the database, an older name in councils/data/;
    # Cumbria is not in the database at all, only in councils/data/.
    assert run(FIXTURES / "ilacs-2018-standard.txt")["council"] == {
        "name": "County Durham",
        "la_code": "840",
    }
    assert run(FIXTURES / "monitoring-visit-2016-sif.txt")["council"] == {
        "name": "Cumbria",
        "la_code": "909",
    }


def test_a_council_added_to_the_database_is_found(tmp_path):
    council = CouncilFactory(name="Middleford", is_active=False)
    path = tmp_path / "letter.txt"
    path.write_text("Focused visit to Middleford children’s services\n", encoding="utf-8")
    assert run(path)["council"] == {"name": "Middleford", "la_code": council.dfe_la_code}


def test_reads_a_pdf_and_a_word_document(tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter_pdf(fixture_text("ilacs-2023-standard")))
    data = run(pdf)
    assert {field: data[field] for field in CONTRACT_FIELDS} == expected("ilacs-2023-standard")

    import zipfile

    docx = tmp_path / "letter.docx"
    with zipfile.ZipFile(docx, "w") as archive:
        archive.writestr(
            "word/document.xml",
            "<w:document><w:body><w:p><w:r><w:t>Focused visit to Walsall children’s services"
            "</w:t></w:r></w:p></w:body></w:document>",
        )
    assert run(docx)["council"] == {"name": "Walsall", "la_code": "335"}
    assert run(docx)["kind"] == "focused_visit"


def test_writes_nothing(tmp_path):
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(letter_pdf(fixture_text("focused-visit-2021-priority")))
    before = row_counts()
    with CaptureQueriesContext(connection) as queries:
        run(pdf)
        run(FIXTURES / "sif-2015-standard.txt")
    assert row_counts() == before
    writes = [
        query["sql"]
        for query in queries.captured_queries
        if not query["sql"].lstrip().upper().startswith(("SELECT", "SAVEPOINT", "RELEASE"))
    ]
    assert writes == []


def test_a_scanned_pdf_is_read_and_nothing_is_found(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 300, 300, fill=1)
    pdf.showPage()
    pdf.save()
    data = run(path)
    assert data["council"] is None and data["areas"] == []
    assert "council" in data["not_found"]


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("missing.pdf", None, "no such file"),
        ("letter.pdf", b"Dear Ms Hill, this is not a PDF.", "not a PDF"),
        ("letter.doc", b"\xd0\xcf\x11\xe0 old Word", "upload a PDF"),
        ("letter.txt", b"\x00\x00\x00\x01" * 200, "not plain text"),
    ],
)
def test_exits_2_with_one_line_when_the_file_cannot_be_read(tmp_path, filename, content, message):
    path = tmp_path / filename
    if content is not None:
        path.write_bytes(content)
    out = io.StringIO()
    with pytest.raises(CommandError) as error:
        call_command("read_letter", str(path), "--json", stdout=out)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert out.getvalue() == ""


def test_the_exit_status_and_stderr_from_the_shell(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    command = [sys.executable, "manage.py", "read_letter", str(tmp_path / "nope.pdf"), "--json"]
    result = subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        command, cwd=REPO, env=env, capture_output=True, text=True, check=False, timeout=120
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "nope.pdf" in result.stderr
