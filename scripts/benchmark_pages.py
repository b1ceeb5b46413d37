"""Time every page a user reaches, served by gunicorn in production mode, against its SQL floor.

Against a PostgreSQL database filled by `manage.py generate_data`, this:

- starts gunicorn (one sync worker, DEBUG off, plain HTTP on 127.0.0.1, static files
  collected into a temporary folder) and always stops it at the end;
- signs in over HTTP, with CSRF tokens from the forms, as a generated manager of
  the council with the most actions, and as a superuser made for the run (and
  removed afterwards) for the admin changelists;
- for each page: the number of SQL queries (in-process, Django's test client and
  CaptureQueriesContext, same database and session), median and 95th percentile of
  --requests requests over HTTP after a warm-up, the "floor" (the same rows and
  aggregates fetched by hand-written SQL with psycopg, median, in the same run) and
  the ratio page/floor;
- for the three slowest pages, where the time goes: SQL, templates, Python, with
  a profile;
- the exports' times and the peak RSS of the gunicorn worker while exporting;
- prints a table and writes JSON.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/generator_national \\
        .venv/bin/python scripts/benchmark_pages.py --requests 30 --json docs/performance.json

--smoke (for CI): a few requests per page, no timing targets; exits 0 when every
page answered 200 and its queries were counted.
"""

import argparse
import os
import secrets
import shutil
import sys
import tempfile
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parent
PROJECT = SCRIPTS.parent
sys.path[:0] = [str(PROJECT), str(SCRIPTS)]


def configure_django(secret_key: str, database_url: str, static_root: str) -> None:
    """This process loads the same settings as gunicorn (for the test client and the ORM)."""
    for key in list(os.environ):
        if key.startswith(("DJANGO_", "SESSION_", "TRUST_", "SIGN_IN_")):
            del os.environ[key]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="bench_settings",
        DEBUG="false",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
        BENCH_STATIC_ROOT=static_root,
        LOG_LEVEL="ERROR",
    )
    import django

    django.setup()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--export-requests",
        type=int,
        default=10,
        help="timed requests per export (each takes seconds at national scale)",
    )
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first")
    parser.add_argument("--json", type=Path, help="write the results here")
    parser.add_argument("--smoke", action="store_true", help="CI: tiny counts, no timing targets")
    parser.add_argument(
        "--member-password",
        help="the generated manager's password, if the generator sets a known one "
        "(otherwise a password is set for the run and the old one put back afterwards)",
    )
    parser.add_argument("--show-sql", action="store_true", help="print each page's queries")
    args = parser.parse_args(argv)
    if args.smoke:
        args.requests, args.export_requests, args.warmup = 1, 1, 1

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to the PostgreSQL database generate_data filled")
    secret_key = secrets.token_urlsafe(50)
    static_root = tempfile.mkdtemp(prefix="bench-static-")
    try:
        configure_django(secret_key, database_url, static_root)

        import bench_run

        return bench_run.run(args, secret_key, database_url, static_root)
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
