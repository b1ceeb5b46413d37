"""python manage.py read_letter PATH --json

Reads an Ofsted letter (.pdf, .txt or .docx) and prints what the reader found,
as one JSON object (the contract in issue 7). Writes nothing to the database.
Exit status 0 whenever the file could be read, 2 (with a one-line message on
stderr) when it could not.
"""

import csv
import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from councils.models import Council
from inspections.letter_reader import CouncilRef, LetterFileError, extract_text, read_letter

OTHER_NAMES_CSV = Path(settings.BASE_DIR) / "councils" / "data" / "council_other_names.csv"


def other_names(path: Path = OTHER_NAMES_CSV) -> dict[str, tuple[str, tuple[str, ...]]]:
    """DfE code -> (name, other names) from councils/data/council_other_names.csv."""
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    if not path.exists():
        return names
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            others = tuple(name.strip() for name in row["other_names"].split(";") if name.strip())
            names[row["dfe_la_code"].strip()] = (row["name"].strip(), others)
    return names


def council_refs() -> list[CouncilRef]:
    """Every council in the database, active ones first, with the other names a
    letter may use; predecessors not (yet) in the database come from the file."""
    extra = other_names()
    refs = []
    seen = set()
    for council in Council.objects.order_by("-is_active", "name").only(
        "name", "dfe_la_code", "is_active"
    ):
        _, others = extra.get(council.dfe_la_code, ("", ()))
        refs.append(CouncilRef(council.name, council.dfe_la_code, others))
        seen.add(council.dfe_la_code)
    for code, (name, others) in extra.items():
        if code not in seen:
            refs.append(CouncilRef(name, code, others))
    return refs


class Command(BaseCommand):
    help = (
        "Read an Ofsted letter (.pdf, .txt or .docx) and print what was found as JSON. "
        "Writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the letter: a .pdf, .txt or .docx file")
        parser.add_argument(
            "--json",
            action="store_true",
            help="print one JSON object (the default; kept for scripts that pass it)",
        )

    def handle(self, *args, **options):
        path = Path(options["path"])
        try:
            if not path.is_file():
                raise LetterFileError(f"{path}: no such file.")
            data = path.read_bytes()
            text = extract_text(data, path.name)
        except (LetterFileError, OSError) as error:
            # Django prints this as one line on stderr and exits with status 2.
            raise CommandError(" ".join(str(error).split()), returncode=2) from error
        reading = read_letter(text, council_refs())
        self.stdout.write(json.dumps(reading.to_json(), ensure_ascii=False, indent=2))
