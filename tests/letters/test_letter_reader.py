"""The letter reader (issue 7), on its own: no database.

- our own letters (tests/letters/fixtures/), as text and as PDFs typeset from them;
- Ofsted's published letters in ../shared/letters/ when that folder exists, field by field;
- the news articles in ../shared/seeds/ when that folder exists;
- odd input, which must never make the reader raise;
- extract_text on every kind of file, good and bad.
"""

import contextlib
import datetime
import io
import json
import subprocess
import sys
import time
import zipfile
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspections.letter_reader import (
    CouncilRef,
    LetterFileError,
    LetterReading,
    extract_text,
    files,
    read_letter,
    tidy_text,
)
from inspections.letter_reader import frameworks as reader_frameworks
from inspections.letter_reader.councils import match_council
from inspections.letter_reader.fields import find_lead_inspector, parse_range
from inspections.letter_reader.text import blocks_of

from .helpers import (
    CONTRACT_FIELDS,
    REPO,
    SHARED,
    differing_fields,
    expected,
    fixture_names,
    fixture_text,
    letter_pdf,
    reference_councils,
)

COUNCILS = reference_councils()


def read(text: str) -> LetterReading:
    return read_letter(text, COUNCILS)


# --- Our letters ---------------------------------------------------------------


@pytest.mark.parametrize("name", fixture_names())
def test_fixture_letter_as_text(name):
    got = read(fixture_text(name)).to_json()
    assert differing_fields(got, expected(name)) == {}


# A paste from a web page has no bullets; typeset into a PDF without them, an
# area that fills its line runs into the next (an Ofsted PDF always has bullets).
PDF_FIXTURES = [name for name in fixture_names() if not name.startswith("pasted")]


@pytest.mark.parametrize("name", PDF_FIXTURES)
def test_fixture_letter_as_pdf(name):
    text = extract_text(letter_pdf(fixture_text(name)), f"{name}.pdf")
    got = read(text).to_json()
    assert differing_fields(got, expected(name)) == {}


def test_every_kind_era_and_number_of_areas_is_covered():
    letters = [expected(name) for name in fixture_names()]
    assert {letter["kind"] for letter in letters} == {
        "standard",
        "short",
        "focused_visit",
        "monitoring_visit",
        "jtai",
    }
    eras = {
        reader_frameworks.framework_on(datetime.date.fromisoformat(letter["start_date"])).code
        for letter in letters
    }
    assert eras == {"sif", "ilacs_2018", "ilacs_2023", "ilacs_2026"}
    counts = {len(letter["areas"]) for letter in letters}
    assert {0, 1, 10} <= counts


@pytest.mark.parametrize("name", fixture_names())
def test_tidying_is_idempotent(name):
    once = tidy_text(fixture_text(name))
    assert tidy_text(once) == once
    assert read(once).to_json() == read(fixture_text(name)).to_json()


def test_tidy_removes_running_headers_page_numbers_and_the_address_panel():
    text = tidy_text(fixture_text("ilacs-2023-standard"))
    assert text.count("Inspection of Kingston upon Hull local authority children’s services") == 1
    assert "6 to 17 November 2023 2" not in text
    walsall = tidy_text(fixture_text("focused-visit-2019-care-leavers"))
    assert "Piccadilly Gate" not in walsall and "0300 123 1231" not in walsall
    assert "\n2\n" not in walsall


def test_tidy_rejoins_hyphenation_and_wrapped_lines():
    text = tidy_text(fixture_text("ilacs-2026-standard"))
    # Split at a line end, and across a page break with its running header.
    assert "16- and 17-year-old children" in text
    assert "build trusting relationships with children" in text
    sif = tidy_text(fixture_text("sif-2015-standard"))
    assert "the use of performance information" in sif
    assert "pre-proceedings" in tidy_text(fixture_text("ilacs-2018-standard"))


# --- Ofsted's letters, from outside the repository ------------------------------

LETTERS = SHARED / "letters"
SHARED_LETTERS = sorted(LETTERS.glob("*.pdf")) if LETTERS.is_dir() else []
# Fields that cannot be read from a letter, each with why: none so far. Add
# (letter stem, field): "reason" to mark that one comparison xfail.
KNOWN_DIFFERENCES: dict[tuple[str, str], str] = {}


@cache
def shared_reading(path) -> dict:
    return read(extract_text(path.read_bytes(), path.name)).to_json()


def _shared_cases():
    if not SHARED_LETTERS:
        return [pytest.param(None, None, marks=pytest.mark.skip(reason=f"{LETTERS} is absent"))]
    cases = []
    for path in SHARED_LETTERS:
        for field in CONTRACT_FIELDS:
            reason = KNOWN_DIFFERENCES.get((path.stem, field))
            marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
            cases.append(pytest.param(path, field, marks=marks, id=f"{path.stem}-{field}"))
    return cases


@pytest.mark.parametrize(("path", "field"), _shared_cases())
def test_shared_letter_field(path, field):
    want = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert shared_reading(path)[field] == want[field]


SEEDS = sorted((SHARED / "seeds").glob("*.txt")) if (SHARED / "seeds").is_dir() else []


@pytest.mark.skipif(not SEEDS, reason="../shared/seeds is absent")
def test_seeds_never_raise_and_the_council_is_found_in_most():
    found = 0
    for path in SEEDS:
        reading = read(path.read_text(encoding="utf-8", errors="replace"))
        assert isinstance(reading.not_found, list)
        found += reading.council is not None
    assert found >= len(SEEDS) / 2


# --- Odd input: never raises -----------------------------------------------------

ODD_INPUTS = {
    "empty": "",
    "blank": " \n\n\f\f \t ",
    "control characters": "\x00\x01\x02\x7f\ufeff",
    "another language": (
        "Inspection des services à l’enfance\nDates de l’inspection : du 4 au 15 mars 2024\n"
        "Ce qui doit être amélioré ?\n• La qualité des évaluations.\n"
    ),
    "another inspectorate": (
        "Care Quality Commission\nInspection report\nOakwood House care home, Kent\n"
        "Date of inspection visit: 3 May 2022\nOverall rating for this service: Good\n"
        "Is the service safe? Requires improvement\n"
    ),
    "one long line": "children’s services " * 20_000,
    "only headings": "What needs to improve?\nAreas for priority action\nWhat needs to improve?\n",
    "bullets only": "•\n◼\n\n• \n",
    "a thousand bullets": "What needs to improve?\n" + "◼ An area.\n" * 1000,
    "numbers": "\n".join(str(n) for n in range(500)),
    "half a date": "Inspection dates: 31 February 2024\nInspection dates: 4 to\n",
    "surrogates and emoji": "Inspection of 🙂 local authority children’s services \ud800",
}


@pytest.mark.parametrize("text", ODD_INPUTS.values(), ids=ODD_INPUTS.keys())
def test_odd_input_never_raises(text):
    reading = read(text)
    data = reading.to_json()
    assert list(data) == [*CONTRACT_FIELDS, "not_found"]
    json.dumps(data)
    assert reading.not_found


def test_a_200_page_report_is_read_in_reasonable_time():
    body = tidy_text(fixture_text("ilacs-2023-standard"))
    # About 200 pages: the letter, then its body repeated.
    paragraphs = [block for block in body.split("\n\n") if block[:2].rstrip(".").isdigit()]
    report = body + "\n\n" + "\n\n".join(paragraphs * 300)
    assert len(report) > 400_000
    started = time.monotonic()
    reading = read(report)
    assert time.monotonic() - started < 30
    assert reading.council.la_code == "810"
    assert len(reading.areas) == 10
    # And as raw extraction: the letter's pages over and over, 200 pages or so.
    pages = fixture_text("ilacs-2023-standard").split("\f")
    started = time.monotonic()
    reading = read("\f".join(pages + pages[1:] * 100))
    assert time.monotonic() - started < 30
    assert reading.council.la_code == "810"


def test_no_councils_and_no_text():
    assert read_letter("", []).not_found[0] == "council"
    assert read_letter(fixture_text("jtai-2019"), []).council is None


@settings(max_examples=150)
@given(st.text(max_size=3000))
def test_any_text_never_raises(text):
    assert isinstance(read(text), LetterReading)


LETTER_PIECES = [
    "What needs to improve?",
    "What needs to improve in this area of social work practice",
    "Areas for priority action",
    "Areas for improvement:",
    "◼ The quality of plans.",
    "• ",
    "1. ",
    "Inspection dates: 4 to 15 March 2024",
    "Inspection of Leeds local authority children’s services",
    "Monitoring visit to Leeds children’s services",
    "This visit was the second monitoring visit since",
    "Lead inspector: Ann Lee, His Majesty’s Inspector",
    "Yours sincerely",
    "Overall effectiveness Good",
    "include: A; B; and C.",
    "Section 2: The effectiveness of the Local Safeguarding Children Board",
    "\f",
    "-",
    "\n",
]


@settings(max_examples=150)
@given(st.lists(st.sampled_from(LETTER_PIECES) | st.text(max_size=40), max_size=60))
def test_letter_shaped_nonsense_never_raises(pieces):
    assert isinstance(read("\n".join(pieces)), LetterReading)


# --- Fields, one at a time -------------------------------------------------------


def test_to_json_is_the_contract_and_leaves_the_file_id_out():
    reading = read(
        fixture_text("focused-visit-2019-care-leavers")
        + "\nhttps://files.ofsted.gov.uk/v1/file/50285468\n"
    )
    assert reading.ofsted_file_id == "50285468"
    data = reading.to_json()
    assert list(data) == [*CONTRACT_FIELDS, "not_found"]
    assert data["council"] == {"name": "Walsall", "la_code": "335"}
    assert data["start_date"] == "2019-01-15"
    assert "ofsted_file_id" not in data


def test_not_found_names_what_a_letter_lacks():
    reading = read(fixture_text("monitoring-visit-2019"))
    assert reading.not_found == ["areas"]
    ilacs = read(fixture_text("ilacs-2023-standard"))
    assert ilacs.not_found == ["published"]
    nothing = read("Dear colleague, thank you.")
    assert nothing.not_found == [
        "council",
        "kind",
        "start_date",
        "end_date",
        "published",
        "lead_inspector",
        "grades",
        "areas",
    ]


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Inspection of Durham local authority children’s services", "840"),
        ("Inspection of County Durham local authority children’s services", "840"),
        ("Focused visit to Dudley Metropolitan Borough children’s services", "332"),
        ("Inspection of North Northamptonshire local authority children’s services", "940"),
        ("Monitoring visit to Northamptonshire children’s services", "928"),
        ("Focused visit to Cumbria County Council children’s services", "909"),
        ("Inspection of Cumberland local authority children’s services", "942"),
        ("Focused visit to Bournemouth, Christchurch and Poole children’s services", "839"),
        ("Focused visit to Poole children’s services", "836"),
        ("Inspection of Kingston upon Thames local authority children’s services", "314"),
        ("Inspection of Kingston Upon Hull local authority children’s services", "810"),
        ("Inspection of St Helens local authority children’s services", "342"),
        ("Inspection of Reading local authority children’s services", "870"),
        ("Birmingham City Council\n\nInspection of services for children in need", "330"),
        ("Joint targeted area inspection of the response to neglect in Telford and Wrekin", "894"),
        ("Dear Ms Hill\n\nThe inspectors met Leeds City Council staff. Leeds is large.", "383"),
    ],
)
def test_council_names(text, code):
    council = match_council(blocks_of(tidy_text(text)), COUNCILS)
    assert council is not None and council.la_code == code


def test_a_common_word_is_not_a_council():
    text = "Reading the case files, inspectors saw that workers bury the detail in long notes."
    assert match_council(blocks_of(tidy_text(text.lower())), COUNCILS) is None


def test_council_other_names_come_from_the_list_passed_in():
    councils = [CouncilRef("Somewhere New", "999", ("Old Town Borough Council",))]
    reading = read_letter("Focused visit to Old Town children’s services", councils)
    assert reading.council == councils[0]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("4 to 15 March 2024", "2024-03-04", "2024-03-15"),
        ("21 February to 4 March 2022", "2022-02-21", "2022-03-04"),
        ("11 June 2018 to 22 June 2018", "2018-06-11", "2018-06-22"),
        ("18 March 2014 – 09 April 2014", "2014-03-18", "2014-04-09"),
        ("13 and 14 March 2018", "2018-03-13", "2018-03-14"),
        ("29th December to 9th January 2020", "2019-12-29", "2020-01-09"),
        ("5 Sept 2019", "2019-09-05", "2019-09-05"),
    ],
)
def test_date_ranges(text, start, end):
    assert parse_range(text) == (
        datetime.date.fromisoformat(start),
        datetime.date.fromisoformat(end),
    )


def test_impossible_dates_are_not_found():
    assert parse_range("31 February 2024") == (None, None)
    assert parse_range("4 to 15 March") == (None, None)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Lead inspector: Lisa Walsh, His Majesty’s Inspector", "Lisa Walsh"),
        ("Lead inspector: Marie McGuinness Senior HMI", "Marie McGuinness"),
        ("Lead inspector:  Pauline Higham\n\nHer Majesty’s Inspector", "Pauline Higham"),
        ("Lead inspector: Mrs Ann O’Neill-Davies, HMI", "Ann O’Neill-Davies"),
        (
            "The inspectors were Mandy Nightingale, HMI, and Margaret Burke, HMI.",
            "Mandy Nightingale",
        ),
        (
            "His Majesty’s Inspectors for this visit were Jo Warburton and Vic Horse.",
            "Jo Warburton",
        ),
        ("Yours sincerely\n\nNick Bennison\n\nHis Majesty’s Inspector", "Nick Bennison"),
        ("This inspection was led by Priya Raman, HMI, with others.", "Priya Raman"),
    ],
)
def test_lead_inspector(text, name):
    assert find_lead_inspector(blocks_of(tidy_text(text))) == name


def test_grades_keep_the_letters_wording_and_the_framework_decides_the_areas():
    sif = read(fixture_text("sif-2015-standard"))
    assert sif.grades["Overall effectiveness"] == "Requires improvement"
    assert sif.grades["Adoption performance"] == "Good"
    text = (
        "Inspection of Leeds local authority children’s services\n\n"
        "Inspection dates: 2 to 13 March 2026\n\n"
        "The experiences and progress of care leavers: requires improvement to be good\n\n"
        "The experiences and progress of children in care and care leavers: good\n"
    )
    # Before April 2026 care leavers are one area of four in 2023's five.
    assert read(text).grades == {
        "The experiences and progress of care leavers": "Requires improvement to be good"
    }
    assert "grades" in read(text).not_found


def test_ungraded_visits_have_no_grades():
    text = fixture_text("focused-visit-2021-priority") + "\nOverall effectiveness Good\n"
    assert read(text).grades == {}


@pytest.mark.parametrize(
    ("dates", "kind"),
    [("8 to 12 July 2024", "short"), ("8 to 19 July 2024", "standard")],
)
def test_short_or_standard_by_time_on_site(dates, kind):
    text = f"Inspection of Leeds local authority children’s services\n\nInspection dates: {dates}\n"
    assert read(text).kind == kind


@pytest.mark.parametrize(
    ("sentence", "number"),
    [
        ("This visit was the third monitoring visit since the local authority", 3),
        ("This was the 5th monitoring visit to Leeds", 5),
        ("This was monitoring visit 7 since the inspection", 7),
    ],
)
def test_visit_number(sentence, number):
    text = f"Monitoring visit to Leeds children’s services\n\n{sentence}.\n"
    assert read(text).visit_number == number


def test_priority_areas_come_first_wherever_the_letter_puts_them():
    text = (
        "Focused visit to Leeds children’s services\n\n"
        "What needs to improve in this area of social work practice\n\n"
        "• Supervision.\n• Audits.\n\nAreas for priority action\n\n"
        "The local authority must act on:\n• Allocation of children.\n\nMain findings\n\n"
        "• Leaders know their service.\n"
    )
    assert read(text).areas == ["Allocation of children.", "Supervision.", "Audits."]


def test_areas_in_a_run_on_sentence():
    text = (
        "Monitoring visit to Leeds children’s services\n\n"
        "Evaluation of progress\n\n"
        "Leaders are doing well. Areas for improvement include the timeliness of plans; "
        "the quality of supervision, which varies; and visits to children. Staff are positive.\n"
    )
    assert read(text).areas == [
        "the timeliness of plans",
        "the quality of supervision, which varies",
        "visits to children",
    ]


def test_lists_that_are_not_areas_are_left_alone():
    for name in ("monitoring-visit-2019", "jtai-2019", "focused-visit-2019-care-leavers"):
        areas = read(fixture_text(name)).areas
        assert not any("case discussions" in area for area in areas)
        assert not any("front door" in area.lower() for area in areas if name == "jtai-2019")
        assert not any("Personal advisers are tenacious" in area for area in areas)
    sif = read(fixture_text("sif-2015-standard")).areas
    assert not any("LSCB" in area or "board" in area for area in sif)


# --- Files ----------------------------------------------------------------------


def test_pdf_text_is_rejoined():
    text = extract_text(letter_pdf(fixture_text("ilacs-2023-standard")), "hull.pdf")
    assert text.startswith("Inspection of Kingston upon Hull local authority children’s services")
    assert "\n\n• The quality of strategy discussions and the involvement of all relevant" in text


def test_a_scanned_pdf_reads_as_no_text():
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.rect(50, 50, 400, 600, fill=1)
    pdf.showPage()
    pdf.save()
    assert extract_text(buffer.getvalue(), "scan.pdf") == ""
    assert "council" in read("").not_found


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(letter_pdf("Inspection of Leeds"))))
    writer.encrypt(user_password=user_password, owner_password="owner-only")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_locked_only_against_editing_opens():
    assert "Inspection of Leeds" in extract_text(_encrypted(""), "locked.pdf")


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"Dear Ms Hill", "letter.pdf", "not a PDF"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 40, "letter.pdf", "damaged"),
        (b"", "letter.pdf", "empty"),
        (b"GIF89a....", "letter.gif", "upload a PDF"),
        (b"\x00\x01" * 500, "letter.txt", "not plain text"),
        (b"PK\x03\x04 not really a zip", "letter.docx", "not a Word document"),
    ],
)
def test_unreadable_files_say_why_in_one_line(data, filename, message):
    with pytest.raises(LetterFileError) as error:
        extract_text(data, filename)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_password_protected_pdf_is_refused():
    with pytest.raises(LetterFileError, match="password"):
        extract_text(_encrypted("secret"), "locked.pdf")


def test_too_big_or_too_long_is_refused(monkeypatch):
    pdf = letter_pdf(fixture_text("ilacs-2023-standard"))
    monkeypatch.setattr(files, "MAX_PAGES", 1)
    with pytest.raises(LetterFileError, match="pages"):
        extract_text(pdf, "long.pdf")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    with pytest.raises(LetterFileError, match="too big"):
        extract_text(pdf, "big.pdf")


def test_a_truncated_pdf_never_raises_anything_else():
    pdf = letter_pdf(fixture_text("ilacs-2023-standard"))
    for size in (20, len(pdf) // 3, len(pdf) - 50):
        with contextlib.suppress(LetterFileError):
            extract_text(pdf[:size], "cut.pdf")


def test_text_files_in_utf8_cp1252_and_utf16():
    words = "Focused visit to Walsall children’s services"
    assert extract_text(words.encode("utf-8"), "a.txt") == words
    assert extract_text(words.encode("cp1252"), "a.txt") == words
    assert extract_text(words.encode("utf-16"), "a.txt") == words
    assert extract_text(("\ufeff" + words).encode("utf-8"), "a.txt") == words


def _docx(body: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0"?><w:document xmlns:w="w"><w:body>'
            + body
            + "</w:body></w:document>",
        )
    return buffer.getvalue()


def _paragraph(text: str, listed: bool = False) -> str:
    numbering = "<w:pPr><w:numPr><w:numId w:val='1'/></w:numPr></w:pPr>" if listed else ""
    return f"<w:p>{numbering}<w:r><w:t xml:space='preserve'>{text}</w:t></w:r></w:p>"


def test_a_word_document_is_read_with_its_list_items():
    body = (
        _paragraph("Focused visit to Walsall children’s services")
        + _paragraph("What needs to improve in this area of social work practice")
        + _paragraph("Pathway plans &amp; their review.", listed=True)
        + _paragraph("Supervision.", listed=True)
        + _paragraph("Findings")
    )
    text = extract_text(_docx(body), "letter.docx")
    assert "• Pathway plans & their review." in text
    assert read(text).areas == ["Pathway plans & their review.", "Supervision."]


@pytest.mark.parametrize(
    "data",
    [
        _docx(_paragraph(" " * 5_000_000)),
        _docx('<!DOCTYPE x [<!ENTITY a "aaaa">]>' + _paragraph("&a;")),
    ],
    ids=["zip bomb", "entities"],
)
def test_a_hostile_word_document_is_refused(data):
    with pytest.raises(LetterFileError):
        extract_text(data, "letter.docx")


# --- The reader stands alone ----------------------------------------------------


def test_the_reader_imports_no_django():
    code = (
        "import sys; import inspections.letter_reader as r; "
        "r.read_letter('Inspection of Leeds local authority children’s services', []); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_readers_frameworks_are_the_apps_frameworks():
    from inspections.frameworks import FRAMEWORKS

    assert [
        (f.code, f.starts, tuple(area.label for area in f.areas), f.requires_improvement_wording)
        for f in FRAMEWORKS
    ] == [
        (f.code, f.starts, f.areas, f.requires_improvement_wording)
        for f in reader_frameworks.FRAMEWORKS
    ]
