"""Time the roll-up queries at national scale and print the figures.

Fills a database with inspections, findings and actions for all 153 councils
(bulk inserts, no progress-update history), then times the queries the pages
and admin run. Use a scratch PostgreSQL database: it deletes what it made.

    createdb -h 127.0.0.1 -U postgres tracker_bench
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/tracker_bench \
        .venv/bin/python scripts/benchmark_rollups.py --actions 200000
"""

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import Action  # noqa: E402
from actions.rag import Clock, Rag, Status  # noqa: E402
from actions.rollups import councils_with_progress  # noqa: E402
from councils.models import Council, User  # noqa: E402
from inspections.models import Finding, Inspection  # noqa: E402

BENCH_TAG = "benchmark-run"


def build(actions_wanted: int, seed: int) -> None:
    rng = random.Random(seed)  # noqa: S311 - repeatable test data, not security
    councils = list(Council.objects.all())
    owner, _ = User.objects.get_or_create(
        username="benchmark.owner", defaults={"email": "b@example.org"}
    )
    today = timezone.localdate()
    now = timezone.now()
    findings_per_council = 14  # two inspections of seven findings each
    per_finding = max(1, actions_wanted // (len(councils) * findings_per_council))
    statuses = [s for s in Status.values if s != Status.COMPLETE]
    with transaction.atomic():
        inspections = Inspection.objects.bulk_create(
            Inspection(
                council=council,
                kind="standard" if i == 0 else "focused_visit",
                focus_theme="" if i == 0 else "care_leavers",
                start_date=datetime.date(2024 + i, 3, 4),
                end_date=datetime.date(2024 + i, 3, 15),
                lead_inspector=BENCH_TAG,
            )
            for council in councils
            for i in range(2)
        )
        findings = Finding.objects.bulk_create(
            Finding(
                inspection=inspection, position=n, text="Benchmark finding", short_title=f"F{n}"
            )
            for inspection in inspections
            for n in range(1, 8)
        )
        batch = []
        for finding in findings:
            for _ in range(per_finding):
                status = rng.choice(statuses)
                due = today + datetime.timedelta(days=rng.randint(-90, 240))
                batch.append(
                    Action(
                        finding=finding,
                        title="Benchmark action",
                        owner=owner,
                        due_date=due,
                        revised_due_date=due + datetime.timedelta(days=30)
                        if rng.random() < 0.1
                        else None,
                        status=status,
                        percent_complete=100 if status == Status.DELIVERED else rng.randint(0, 90),
                        last_progress_at=now - datetime.timedelta(days=rng.randint(0, 60)),
                    )
                )
            if len(batch) >= 20_000:
                Action.objects.bulk_create(batch)
                batch = []
        Action.objects.bulk_create(batch)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def timed(label: str, run, repeats: int) -> None:
    run()  # warm the cache once
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    print(f"{label:<62} median {statistics.median(times):8.1f} ms   max {max(times):8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actions", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the generated rows")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    Action.objects.filter(finding__inspection__lead_inspector=BENCH_TAG).delete()
    Finding.objects.filter(inspection__lead_inspector=BENCH_TAG).delete()
    Inspection.objects.filter(lead_inspector=BENCH_TAG).delete()

    start = time.perf_counter()
    build(args.actions, args.seed)
    print(
        f"database: {connection.vendor}; built {Action.objects.count():,} actions, "
        f"{Finding.objects.count():,} findings, {Inspection.objects.count():,} inspections "
        f"for {Council.objects.count()} councils in {time.perf_counter() - start:.1f} s"
    )

    clock = Clock.current()
    council = Council.objects.get(dfe_la_code="873")
    timed(
        "progress and RAG counts for all 153 councils (one query)",
        lambda: list(councils_with_progress(Council.objects.all(), clock)),
        args.repeats,
    )
    timed(
        "progress and RAG counts for one council's findings",
        lambda: list(Finding.objects.for_council(council).with_progress(clock)),
        args.repeats,
    )
    timed(
        "one council's inspections with progress and worst grade",
        lambda: list(
            Inspection.objects.for_council(council).with_progress(clock).with_worst_grade()
        ),
        args.repeats,
    )
    timed(
        "one council's actions, most urgent first, first 50 rows",
        lambda: list(
            Action.objects.for_council(council).with_rag(clock).for_list().most_urgent_first()[:50]
        ),
        args.repeats,
    )
    timed(
        "red actions nationally: count",
        lambda: Action.objects.with_rag_colour(Rag.RED, clock).count(),
        args.repeats,
    )
    timed(
        "one council's overdue actions: count",
        lambda: Action.objects.for_council(council).overdue(clock).count(),
        args.repeats,
    )

    if not args.keep:
        Action.objects.filter(finding__inspection__lead_inspector=BENCH_TAG).delete()
        Finding.objects.filter(inspection__lead_inspector=BENCH_TAG).delete()
        Inspection.objects.filter(lead_inspector=BENCH_TAG).delete()


if __name__ == "__main__":
    main()
