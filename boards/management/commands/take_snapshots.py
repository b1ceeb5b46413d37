"""Store each council's plan figures at the end of yesterday, for the trends.

    python manage.py take_snapshots [--date YYYY-MM-DD]

Run it once a day, after midnight (the scheduler service does). It also fills in the
days missed since the last run (up to boards.services.CATCH_UP_DAYS), and on a council's
first run stores the month ends its trends show. Running it again
for the same day, or two copies at once, stores nothing twice.
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from boards.services import take_daily_snapshots


class Command(BaseCommand):
    help = "Store each council's plan figures at the end of a day (default: yesterday)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="The last day to store (default: yesterday in England). It must be over.",
        )

    def handle(self, *args, **options):
        day = options["date"] or timezone.localdate() - datetime.timedelta(days=1)
        try:
            result = take_daily_snapshots(day=day)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for council, each in result.taken:
            self.stdout.write(f"{council.name}: stored the figures at the end of {each:%-d %B %Y}")
        if result.already:
            self.stdout.write(
                f"Already stored for {day:%-d %B %Y}: "
                + ", ".join(council.name for council in result.already)
            )
        self.stdout.write(f"Snapshots stored: {len(result.taken)}")
