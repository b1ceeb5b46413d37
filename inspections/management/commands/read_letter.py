"""python manage.py read_letter PATH --json

Reads an Ofsted letter (.pdf, .txt or .docx) and prints what the reader found,
as one JSON object (the contract in issue 7). Writes nothing to the database.
Exit status 0 whenever the file could be read, 2 (with a one-line message on
stderr) when it could not.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from inspections.letter_intake import council_refs
from inspections.letter_reader import LetterFileError, extract_text, read_letter


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
