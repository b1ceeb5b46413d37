"""Email today's reminders: owners' digests, managers' weekly exceptions, escalations.

    python manage.py send_reminders [--date YYYY-MM-DD] [--dry-run]

Run it once a day (cron, or the scheduler service). Running it again on the same
day, or two copies at once, sends nothing twice (reminders.services). It exits
with status 1 when an email could not be sent; running it again retries those.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import URLValidator
from django.utils import timezone

from reminders.services import send_reminders


class Command(BaseCommand):
    help = "Email owners' digests, managers' weekly exceptions and escalations for a day."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="The day to send reminders for (default: today in England).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Say who would get what; send and record nothing.",
        )

    def handle(self, *args, **options):
        site_url = settings.SITE_URL
        try:
            URLValidator(schemes=["http", "https"])(site_url)
        except ValidationError:
            raise CommandError(
                "SITE_URL must be the service's address, like https://tracker.example.gov.uk, "
                f"for the links in the emails; it is {site_url!r}."
            ) from None
        day = options["date"] or timezone.localdate()
        dry_run = options["dry_run"]
        result = send_reminders(day=day, weekly_day=settings.REMINDERS_WEEKLY_DAY, dry_run=dry_run)

        verb = "would send" if dry_run else "sent"
        self.stdout.write(
            f"Reminders for {day:%A %-d %B %Y}"
            f"{' (weekly digests day)' if result.plan.weekly else ''}"
            f"{': dry run, nothing sent or recorded' if dry_run else ''}"
        )
        for label, tally in (
            ("Owners' digests", result.owner_digests),
            ("Managers' weekly digests", result.manager_digests),
            ("Escalated actions", result.escalations),
        ):
            self.stdout.write(
                f"{label}: {len(tally.sent)} {verb}, {len(tally.already_sent)} sent already, "
                f"{len(tally.failed)} not sent"
            )
            if options["verbosity"] >= 2 or dry_run:
                for line in tally.sent:
                    self.stdout.write(f"  {verb}: {line}")
                for line in tally.already_sent:
                    self.stdout.write(f"  sent already: {line}")
            for line in tally.failed:
                self.stderr.write(f"  not sent: {line}")
        if result.failed:
            count = "1 reminder" if result.failed == 1 else f"{result.failed} reminders"
            raise CommandError(
                f"{count} could not be sent (see the log). "
                "Run the command again to retry them: nothing sent already goes twice."
            )
