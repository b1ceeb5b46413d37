"""The letter reader's accuracy: the share of contract fields read right, as text and as PDF.

    .venv/bin/python scripts/letter_reader_accuracy.py

Over our own letters (tests/letters/fixtures: every kind of visit and framework era,
each read from its text and from a PDF typeset from it) and, when ../shared/letters
is beside the repository, Ofsted's published letters with their expected readings.
Prints one line per set and each field that was read wrong. Needs no database.
"""

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inspections.letter_reader import extract_text, read_letter  # noqa: E402
from tests.letters.helpers import (  # noqa: E402
    CONTRACT_FIELDS,
    SHARED,
    expected,
    fixture_names,
    fixture_text,
    letter_pdf,
    reference_councils,
)


def score(cases) -> tuple[int, int, list[str]]:
    """cases: (label, text, expected reading). Right fields, all fields, what was wrong."""
    right, total, wrong = 0, 0, []
    for label, text, want in cases:
        got = read_letter(text, reference_councils()).to_json()
        for field in CONTRACT_FIELDS:
            total += 1
            if got[field] == want[field]:
                right += 1
            else:
                wrong.append(f"  {label}: {field}: read {got[field]!r}, expected {want[field]!r}")
    return right, total, wrong


def main() -> None:
    names = fixture_names()
    sets = {
        "our letters, as text": [(n, fixture_text(n), expected(n)) for n in names],
        "our letters, as PDF": [
            (n, extract_text(letter_pdf(fixture_text(n)), f"{n}.pdf"), expected(n)) for n in names
        ],
    }
    letters = sorted((SHARED / "letters").glob("*.pdf"))
    if letters:
        sets["Ofsted's published letters, PDF"] = [
            (
                path.stem,
                extract_text(path.read_bytes(), path.name),
                json.loads(path.with_suffix(".json").read_text(encoding="utf-8")),
            )
            for path in letters
        ]
    for name, cases in sets.items():
        right, total, wrong = score(cases)
        print(
            f"{name}: {right} of {total} fields right ({right / total:.1%}), {len(cases)} letters"
        )
        for line in wrong[:10]:
            print(line)


if __name__ == "__main__":
    main()
