"""Generate realistic data at small, national or large scale (see docs/generator.md).

    python manage.py generate_data --scale national --seed 1

Never run this against a real council's database: every generated user has the same,
published password. It refuses when DEBUG is off, and when the database holds data
it did not generate, unless given --force.
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from actions.generator import (
    GENERATED_PASSWORD,
    SCALES,
    already_generated,
    generate,
    real_data,
)


class Command(BaseCommand):
    help = "Generate councils' inspections, findings, actions and timelines for testing."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--councils",
            type=int,
            metavar="N",
            help="How many councils (default: 10 at small scale, all 153 otherwise).",
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            metavar="YYYY-MM-DD",
            help="The day the data is made as at (default: today in England).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off, or when the database holds data not generated.",
        )

    def handle(self, *args, **options):
        if options["councils"] is not None and options["councils"] < 1:
            raise CommandError("--councils must be at least 1.")
        self._refuse_unless_safe(options["force"])
        scale = SCALES[options["scale"]]
        today = options["today"] or timezone.localdate()
        verbose = options["verbosity"] >= 2
        report = generate(
            scale=scale,
            seed=options["seed"],
            today=today,
            councils=options["councils"],
            log=self.stdout.write if verbose else None,
        )
        self.stdout.write(
            f"Generated {scale.name} scale data for {report.councils} councils "
            f"(seed {options['seed']}, as at {today:%-d %B %Y}) in {report.seconds:.1f} s:"
        )
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Every generated user's password is {GENERATED_PASSWORD!r} "
                "(usernames start with 'gen.')."
            )
        )

    def _refuse_unless_safe(self, force: bool) -> None:
        if already_generated():
            raise CommandError(
                "This database already holds generated data. Generate into a fresh database "
                "(create one and run `manage.py migrate`)."
            )
        if force:
            return
        if not settings.DEBUG:
            raise CommandError(
                "Generated users share a published password: run with DEBUG on "
                "(or --force, never in production)."
            )
        if found := real_data():
            raise CommandError(
                f"This database holds data that was not generated ({found}). "
                "Generate into a fresh database, or pass --force to add to it anyway."
            )
