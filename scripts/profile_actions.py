"""In-process timing of the action lists and exports: queries, time, and where it goes.

The page benchmark (benchmark_pages.py) times every page over HTTP; this times only
the pages that list actions and the list's exports, in-process with Django's test
client and the production settings (DEBUG off, the cached template loader), so that
a change to them can be measured before and after in a minute or two:

- the actions list unfiltered, with three filters and a sort, and its last-but-one
  page; my actions; the CSV and Excel exports (about 10,000 rows, as the benchmark);
- for each: the number of queries, the median and mean time over --requests
  requests, and the mean split into SQL, templates and Python (bench_inprocess);
  and this process's CPU time per request, which a busy machine inflates far less
  than wall-clock time (PostgreSQL's own time is not in it);
- with --profile NAME, a cProfile of that page (own time and the project's functions).

It signs in as the benchmark's member (the manager of the council with the most
actions) with force_login, and puts their last sign-in back afterwards.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h10_bench \\
        .venv/bin/python scripts/profile_actions.py --requests 20
"""

import argparse
import json
import os
import secrets
import shutil
import sys
import tempfile
import time
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
PROJECT = SCRIPTS.parent
sys.path[:0] = [str(PROJECT), str(SCRIPTS)]

PAGES = ("actions", "actions_filtered", "actions_deep_page", "my_actions")
EXPORTS = ("export_csv", "export_xlsx")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page")
    parser.add_argument("--export-requests", type=int, default=3, help="timed requests per export")
    parser.add_argument("--only", nargs="*", help="page names to measure (default: all)")
    parser.add_argument("--profile", nargs="*", default=[], help="page names to cProfile")
    parser.add_argument("--json", type=Path, help="write the results here")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to the PostgreSQL database generate_data filled")
    static_root = tempfile.mkdtemp(prefix="profile-static-")
    try:
        from benchmark_pages import configure_django

        configure_django(secrets.token_urlsafe(50), database_url, static_root)
        return run(args, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


def cpu_ms(client, path: str, runs: int) -> float:
    """This process's CPU time per request (user and system), after one untimed request."""
    import bench_inprocess

    bench_inprocess.fetch(client, path)
    start = time.process_time()
    for _ in range(runs):
        bench_inprocess.fetch(client, path)
    return (time.process_time() - start) * 1000 / runs


def run(args, static_root: str) -> int:
    import bench_inprocess
    from bench_data import choose_targets
    from bench_run import pages_for
    from django.core.management import call_command
    from django.test import Client

    from councils.current import SESSION_KEY
    from councils.models import User

    call_command("collectstatic", interactive=False, verbosity=0)
    targets = choose_targets()
    print(json.dumps(targets.describe(), default=str), file=sys.stderr)
    wanted = set(args.only or PAGES + EXPORTS)
    pages = [p for p in pages_for(targets) if p.name in wanted]

    member = targets.member
    last_login = member.last_login
    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(member)
    session = client.session
    session[SESSION_KEY] = targets.council.pk
    session.save()
    results = {"targets": targets.describe(), "pages": {}}
    try:
        for page in pages:
            runs = args.export_requests if page.name in EXPORTS else args.requests
            status, queries, _, body = bench_inprocess.count_queries(client, page.path)
            result = {
                "path": page.path,
                "status": status,
                "queries": queries,
                "bytes": len(body),
                **bench_inprocess.breakdown(client, page.path, runs),
                "cpu_ms": round(cpu_ms(client, page.path, runs), 1),
            }
            if page.name in args.profile:
                result["profile_own_time"] = bench_inprocess.profile(client, page.path, 3)
                result["profile_cumulative"] = bench_inprocess.profile_project(client, page.path, 3)
            results["pages"][page.name] = result
            print(
                f"{page.name:18} {status} {queries:3} queries"
                f"  median {result['in_process_median_ms']:8.1f} ms"
                f"  mean {result['in_process_mean_ms']:8.1f}: SQL {result['sql_ms']:7.1f}"
                f"  templates {result['template_ms']:7.1f}  Python {result['python_ms']:7.1f}"
                f"  CPU {result['cpu_ms']:8.1f}  ({runs} runs, {len(body):,} bytes)",
                flush=True,
            )
    finally:
        User.objects.filter(pk=member.pk).update(last_login=last_login)
        client.logout()

    for name in args.profile:
        result = results["pages"].get(name)
        if not result:
            continue
        print(f"\n== {name}: own time per request")
        for row in result["profile_own_time"]:
            print(f"  {row['own_ms']:8.2f} ms {row['calls']:>9} {row['function']}")
        print(f"== {name}: the project's functions, cumulative per request")
        for row in result["profile_cumulative"]:
            print(f"  {row['cumulative_ms']:8.2f} ms {row['calls']:>9} {row['function']}")
        print(f"== {name}: templates, inclusive per request")
        for row in result["templates_inclusive"]:
            print(f"  {row['ms']:8.2f} ms {row['renders']:>7} {row['template']}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
