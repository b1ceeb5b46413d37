"""Reads an Ofsted letter or report: council, kind of visit, dates, inspector,
grades and areas for improvement (issue 7; docs/letter-reader.md).

No Django here, so it can be tested and reused alone: councils come in as a
plain list of `CouncilRef`.

    text = extract_text(data, "letter.pdf")      # LetterFileError if unreadable
    reading = read_letter(text, councils)        # never raises
    reading.to_json()                            # the read_letter --json contract
"""

from .councils import CouncilRef
from .files import LetterFileError, extract_text
from .reading import KINDS, LetterReading, read_letter
from .text import tidy_text

__all__ = [
    "KINDS",
    "CouncilRef",
    "LetterFileError",
    "LetterReading",
    "extract_text",
    "read_letter",
    "tidy_text",
]
