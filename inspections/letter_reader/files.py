"""Text out of the files admins upload: PDF (pypdf), plain text, and Word (.docx).

Every failure is a `LetterFileError` with a one-line message in plain English,
fit to show on a form or print from a command.
"""

import html
import io
import re
import zipfile
from pathlib import PurePath

from .text import tidy_text

MAX_FILE_BYTES = 25 * 1024 * 1024
MAX_PAGES = 600
# A .docx is a zip: refuse one whose document would unpack to more than this.
MAX_DOCX_XML_BYTES = 30 * 1024 * 1024
MAX_DOCX_RATIO = 200
MAX_TEXT_CHARS = 5_000_000


class LetterFileError(ValueError):
    """A file the reader cannot read; str() is a one-line message for a person."""


def extract_text(data: bytes, filename: str) -> str:
    """The text of a .pdf, .txt or .docx file, rejoined (page headers, footers,
    page numbers, hyphenation and wrapped lines undone).

    A PDF with no text layer (a scan) gives an empty string: the file was read,
    there is just nothing in it to read.
    """
    suffix = PurePath(filename or "").suffix.lower()
    if len(data) > MAX_FILE_BYTES:
        raise LetterFileError(
            f"The file is too big ({len(data) / 1024 / 1024:.0f} MB): "
            f"the largest letter accepted is {MAX_FILE_BYTES // 1024 // 1024} MB."
        )
    if not data:
        raise LetterFileError("The file is empty.")
    if suffix == ".pdf" or (not suffix and data[:5] == b"%PDF-"):
        raw = _pdf_text(data)
    elif suffix == ".txt":
        raw = _plain_text(data)
    elif suffix == ".docx":
        raw = _docx_text(data)
    else:
        raise LetterFileError(
            f"“{PurePath(filename).name}” is not a letter the app can read: "
            "upload a PDF, a .txt or a .docx file."
        )
    return tidy_text(raw[:MAX_TEXT_CHARS])


def _pdf_text(data: bytes) -> str:
    # Ofsted's PDFs start with the header; a few tools put junk before it.
    if b"%PDF-" not in data[:1024]:
        raise LetterFileError("The file is not a PDF (it does not start like one).")
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            # Many published PDFs are "encrypted" with an empty password, only to
            # stop editing; those open. A real password cannot be guessed.
            try:
                opened = reader.decrypt("")
            except Exception as error:  # noqa: BLE001 - any failure means we cannot open it
                raise LetterFileError(
                    "The PDF is protected by a password: save an unprotected copy and upload that."
                ) from error
            if not opened:
                raise LetterFileError(
                    "The PDF is protected by a password: save an unprotected copy and upload that."
                )
        pages = reader.pages
        count = len(pages)
    except LetterFileError:
        raise
    except (PdfReadError, Exception) as error:  # noqa: BLE001 - pypdf raises many kinds
        raise LetterFileError("The PDF is damaged and cannot be read.") from error
    if count > MAX_PAGES:
        raise LetterFileError(f"The PDF has {count} pages: the most the app reads is {MAX_PAGES}.")
    texts = []
    total = 0
    for index in range(count):
        try:
            text = pages[index].extract_text() or ""
        except Exception:  # noqa: BLE001 - one bad page should not lose the others
            text = ""
        texts.append(text)
        total += len(text)
        if total > MAX_TEXT_CHARS:
            break
    # A form feed between pages, as pdftotext gives: the tidying finds the
    # page headers and footers at the edges of each page.
    return "\f".join(texts)


def _plain_text(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise LetterFileError("The text file is damaged and cannot be read.") from error
    if data.count(b"\x00") > max(8, len(data) // 100):
        raise LetterFileError("The file is not plain text: upload the PDF or a .txt file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_PARAGRAPH = re.compile(r"<w:p[\s>].*?</w:p>|<w:p/>", re.S)
_RUN_PIECE = re.compile(r"<w:t(?:\s[^>]*)?>(.*?)</w:t>|<w:(tab|br|cr)\b[^>]*/>", re.S)


def _docx_text(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise LetterFileError("The file is not a Word document (.docx).") from error
    with archive:
        try:
            info = archive.getinfo("word/document.xml")
        except KeyError as error:
            raise LetterFileError("The file is not a Word document (.docx).") from error
        if info.file_size > MAX_DOCX_XML_BYTES or info.file_size > MAX_DOCX_RATIO * max(
            info.compress_size, 1
        ):
            raise LetterFileError("The Word document is too big to read.")
        try:
            with archive.open(info) as member:
                xml = member.read(MAX_DOCX_XML_BYTES + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, EOFError) as error:
            raise LetterFileError("The Word document is damaged and cannot be read.") from error
    if len(xml) > MAX_DOCX_XML_BYTES:
        raise LetterFileError("The Word document is too big to read.")
    document = xml.decode("utf-8", errors="replace")
    if "<!DOCTYPE" in document or "<!ENTITY" in document:
        raise LetterFileError("The Word document is not in a form the app can read.")
    # Read the text runs with a pattern rather than an XML parser: the document
    # is untrusted, and only w:t, w:tab and w:br matter for the words.
    paragraphs = []
    for paragraph in _PARAGRAPH.finditer(document):
        pieces = []
        for run in _RUN_PIECE.finditer(paragraph.group(0)):
            if run.group(2) == "tab":
                pieces.append("\t")
            elif run.group(2):
                pieces.append("\n")
            else:
                pieces.append(html.unescape(run.group(1)))
        text = "".join(pieces)
        # A numbered or bulleted paragraph in Word has no bullet in its text.
        if "<w:numPr" in paragraph.group(0) and text.strip():
            text = "• " + text
        paragraphs.append(text)
    # Word's paragraphs are whole: a blank line keeps them apart when tidied.
    return "\n\n".join(paragraphs)
