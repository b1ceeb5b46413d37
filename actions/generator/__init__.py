"""Realistic generated data at any scale, for benchmarks, load tests and trying pages.

    from actions.generator import SCALES, generate
    report = generate(scale=SCALES["national"], seed=1, today=datetime.date(2026, 11, 30))

The command is `python manage.py generate_data` (actions/management/commands/);
docs/generator.md says what it makes and how generated data is recognised.

- scales.py: how much of everything each scale makes;
- schedule.py: a council's inspections since 2016, their kinds and grades;
- timeline.py: one action's life, step by step, as the services would write it;
- people.py: users and memberships;
- build.py: a council's rows, from its people to its actions' audit trail;
- writer.py: COPY (PostgreSQL) or executemany, with ids given up front;
- guard.py: telling generated data from real data.
"""

import datetime
import random
import time
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from actions.models import Action, ProgressUpdate
from councils.models import Council, Membership, User
from inspections.models import Finding, Inspection, Judgement, Theme

from .build import CouncilBuilder
from .guard import already_generated, generated_users, real_data
from .people import GENERATED_EMAIL_DOMAIN, PeopleMaker
from .scales import BIG_COUNCIL_NAMES, SCALES, Scale
from .writer import Writer

__all__ = [
    "GENERATED_EMAIL_DOMAIN",
    "GENERATED_PASSWORD",
    "SCALES",
    "Report",
    "Scale",
    "TABLES",
    "already_generated",
    "generate",
    "generated_users",
    "real_data",
]

# Every generated user's password, so that benchmarks and load tests can sign in. The
# command refuses to run with DEBUG off (see the command's help and docs/generator.md).
GENERATED_PASSWORD = "generated-data-only"  # noqa: S105 - documented, for generated data only

# In the order rows must be written: what a row points to comes first.
TABLES = (
    User,
    Membership,
    Membership.history.model,
    Inspection,
    Inspection.history.model,
    Judgement,
    Judgement.history.model,
    Finding,
    Finding.history.model,
    Action,
    Action.contributors.through,
    Action.history.model,
    ProgressUpdate,
)


@dataclass
class Report:
    seconds: float
    councils: int
    rows: dict = field(default_factory=dict)  # table name -> rows written
    big_councils: dict = field(default_factory=dict)  # council name -> actions

    def lines(self) -> list[str]:
        width = max(len(name) for name in self.rows)
        lines = [f"{name:<{width}}  {count:>10,}" for name, count in self.rows.items()]
        lines += [
            f"big council: {name}, {count:,} actions" for name, count in self.big_councils.items()
        ]
        return lines


def choose_councils(scale: Scale, seed: int, how_many: int | None):
    """(councils, big councils): the big ones by name first, then a seeded sample."""
    # Councils that still exist: abolished ones take no new members or plans.
    everyone = list(Council.objects.active().order_by("dfe_la_code"))
    wanted = min(len(everyone), how_many or scale.councils or len(everyone))
    by_name = {council.name: council for council in everyone}
    big = [by_name[name] for name in BIG_COUNCIL_NAMES if name in by_name][: scale.big_councils]
    big = big[:wanted]
    rest = [council for council in everyone if council not in big]
    # Repeatable test data, not security: the same seed gives the same councils.
    rng = random.Random(f"{seed}-councils")  # noqa: S311 # nosec B311
    chosen = big + rng.sample(rest, wanted - len(big))
    return sorted(chosen, key=lambda c: c.dfe_la_code), big


def generate(
    *, scale: Scale, seed: int, today: datetime.date, councils: int | None = None, log=None
) -> Report:
    """Generate the data in one transaction; on PostgreSQL, ANALYZE the tables afterwards."""
    started = time.perf_counter()
    chosen, big = choose_councils(scale, seed, councils)
    themes = list(
        Theme.objects.filter(is_active=True).order_by("slug").values_list("pk", "slug", "name")
    )
    big_actions = {}
    with transaction.atomic():
        writer = Writer(connection, TABLES)
        people = PeopleMaker(
            writer,
            password=make_password(GENERATED_PASSWORD, salt=f"generated{seed}"),
        )
        builder = CouncilBuilder(writer, people, scale=scale, seed=seed, today=today, themes=themes)
        for n, council in enumerate(chosen, start=1):
            actions = builder.build(council, big=council in big)
            if council in big:
                big_actions[council.name] = actions
            if log:
                log(f"{n}/{len(chosen)} {council.name}: {actions:,} actions")
        _advisers(people, chosen, seed)
        writer.finish()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in TABLES:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return Report(
        seconds=time.perf_counter() - started,
        councils=len(chosen),
        rows={model._meta.db_table: writer.written[model] for model in TABLES},
        big_councils=big_actions,
    )


def _advisers(people: PeopleMaker, councils, seed: int) -> None:
    """One regional improvement adviser per region, a manager at each of its councils."""
    # Repeatable test data, not security.
    rng = random.Random(f"{seed}-advisers")  # noqa: S311 # nosec B311
    regions = sorted({council.region for council in councils})
    for region in regions:
        members = [council for council in councils if council.region == region]
        people.adviser(rng, region, members, joined=datetime.date(2016, 1, 4))
