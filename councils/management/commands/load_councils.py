from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from councils.reference import REFERENCE_CSV, load_councils


class Command(BaseCommand):
    help = "Create or update the 153 councils from councils/data/local_authorities.csv."

    def add_arguments(self, parser):
        parser.add_argument("--file", default=str(REFERENCE_CSV), help="CSV file to load")

    def handle(self, *args, **options):
        from pathlib import Path

        try:
            created, updated = load_councils(path=Path(options["file"]))
        except ValidationError as error:
            raise CommandError("Nothing was loaded:\n" + "\n".join(error.messages)) from error
        except IntegrityError as error:
            raise CommandError(
                "Nothing was loaded: a code in the file belongs to a council that is not in it "
                f"({error})."
            ) from error
        self.stdout.write(self.style.SUCCESS(f"Councils: {created} created, {updated} updated."))
