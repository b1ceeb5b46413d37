"""The page benchmark's run: scripts/benchmark_pages.py says what it measures and how to run it."""

import datetime
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import bench_floor
import bench_inprocess
import bench_server
import django
import psycopg
from bench_data import RunAccounts, Targets, choose_targets
from django.conf import settings
from django.db import connection

# Issue 10's targets, at national scale.
MAX_QUERIES = 15
P95_TARGET_MS = 150
# The dashboard and lists within 2x of their floor, every other page within 3x.
LIST_PAGES = {
    "dashboard",
    "inspections",
    "actions",
    "actions_filtered",
    "actions_deep_page",
    "my_actions",
    "admin_actions",
    "admin_findings",
}
EXPORT_TARGET_S = {"export_csv": 2.0, "export_xlsx": 5.0}
EXPORT_MEMORY_TARGET_MIB = 50
BREAKDOWN_PAGES = 3
BASELINE = "baseline"
PROFILE_RUNS = 5


@dataclass
class Page:
    name: str
    path: str
    description: str
    who: str = "member"  # "member" or "superuser"
    kind: str = "html"  # html, csv or xlsx
    http_s: list[float] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    bytes: int = 0
    queries: int | None = None
    query_status: int | None = None
    sql: list[str] = field(default_factory=list)
    floor_s: list[float] = field(default_factory=list)
    floor_queries: int = 0
    floor_rows: int = 0
    memory: dict | None = None
    floor_check: dict | None = None
    explain: dict | None = None
    worker_cpu_ms: float | None = None

    @property
    def median_ms(self) -> float | None:
        return statistics.median(self.http_s) * 1000 if self.http_s else None

    @property
    def p95_ms(self) -> float | None:
        return percentile(self.http_s, 0.95) * 1000 if self.http_s else None

    @property
    def floor_ms(self) -> float | None:
        return statistics.median(self.floor_s) * 1000 if self.floor_s else None

    @property
    def ratio(self) -> float | None:
        if self.name == BASELINE or self.median_ms is None or not self.floor_ms:
            return None
        return self.median_ms / self.floor_ms

    def net_ratio(self, baseline: "Page | None") -> float | None:
        """(median less the baseline page's median) / floor: the page's own cost to its SQL."""
        if self.ratio is None or baseline is None or baseline.median_ms is None:
            return None
        return max(0.0, self.median_ms - baseline.median_ms) / self.floor_ms


def baseline_of(pages: list["Page"]) -> "Page | None":
    return next((page for page in pages if page.name == BASELINE), None)


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def _query(params: dict) -> str:
    return f"?{urlencode(params)}" if params else ""


def pages_for(t: Targets) -> list[Page]:
    return [
        # No data at all: what every page pays whatever it shows (the floors leave it out).
        Page(BASELINE, "/accessibility/", "signed in, no data: every page's fixed cost"),
        Page("dashboard", "/", "dashboard"),
        Page("inspections", "/inspections/", "inspections list"),
        Page(
            "inspection",
            f"/inspections/{t.inspection_id}/",
            f"one inspection ({t.inspection_actions} actions)",
        ),
        Page(
            "finding",
            f"/inspections/findings/{t.finding_id}/",
            f"finding with {t.finding_actions} actions",
        ),
        Page("actions", "/actions/", f"actions list, unfiltered ({t.council_actions} rows)"),
        Page(
            "actions_filtered",
            f"/actions/{_query(t.filters)}",
            f"actions, {len(t.filters) - 1} filters and a sort ({t.filtered_rows} rows)",
        ),
        Page(
            "actions_deep_page",
            f"/actions/?page={t.deep_page}",
            f"actions, page {t.deep_page} of {math.ceil(t.council_actions / 50)}",
        ),
        Page("action", f"/actions/{t.action_id}/", f"action with {t.action_updates} updates"),
        Page(
            "action_updates",
            f"/actions/{t.action_id}/updates/",
            f"its every-update page (1 of {math.ceil(t.action_updates / 20)})",
        ),
        Page("my_actions", "/actions/mine/", f"my actions ({t.member_owned_open} open)"),
        Page("admin_actions", "/admin/actions/action/", "admin: actions", who="superuser"),
        Page("admin_findings", "/admin/inspections/finding/", "admin: findings", who="superuser"),
        Page(
            "export_csv",
            f"/actions/export.csv{_query(t.export_filters)}",
            f"CSV export, {t.export_rows} rows",
            kind="csv",
        ),
        Page(
            "export_xlsx",
            f"/actions/export.xlsx{_query(t.export_filters)}",
            f"Excel export, {t.export_rows} rows",
            kind="xlsx",
        ),
    ]


_STARTED = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - _STARTED:6.1f}s] {message}", file=sys.stderr, flush=True)


def time_over_http(server, client, page: Page, warmup: int, requests: int) -> None:
    for _ in range(warmup):
        status, _, body, _ = client.get(page.path)
        page.statuses.append(status)
    pid = server.worker_pid()
    cpu_before = bench_server.cpu_seconds(pid)
    for _ in range(requests):
        status, _, body, elapsed = client.get(page.path)
        page.statuses.append(status)
        page.http_s.append(elapsed)
        page.bytes = len(body)
    if server.worker_pid() == pid:
        page.worker_cpu_ms = (bench_server.cpu_seconds(pid) - cpu_before) * 1000 / requests


def time_export(server, client, page: Page, warmup: int, requests: int) -> None:
    """Time an export and watch the worker's memory while it runs, against its idle RSS."""
    pid = server.worker_pid()
    idle = bench_server.rss_mib(pid)
    can_reset = bench_server.reset_hwm(pid)
    with bench_server.RssSampler(pid) as sampler:
        time_over_http(server, client, page, warmup, requests)
    peak_sampled = sampler.peak
    peak_hwm = bench_server.hwm_mib(pid) if can_reset else None
    peak = max(peak_sampled, peak_hwm or 0)
    page.memory = {
        "worker_pid": pid,
        "idle_rss_mib": round(idle, 1),
        "peak_rss_mib": round(peak, 1),
        "peak_sampled_rss_mib": round(peak_sampled, 1),
        "peak_vmhwm_mib": round(peak_hwm, 1) if peak_hwm is not None else None,
        "vmhwm_reset_before": can_reset,
        "above_idle_mib": round(peak - idle, 1),
        "rss_after_mib": round(bench_server.rss_mib(pid), 1),
    }


def time_floor(conninfo: str, page: Page, t: Targets, warmup: int, requests: int) -> None:
    floor = bench_floor.FLOORS[page.name]
    with psycopg.connect(conninfo, autocommit=True) as conn:
        for _ in range(warmup):
            floor(conn, t)
        for _ in range(requests):
            start = time.perf_counter()
            queries, rows = floor(conn, t)
            page.floor_s.append(time.perf_counter() - start)
        page.floor_queries, page.floor_rows = queries, rows


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    total_kib = int(next(line for line in meminfo if line.startswith("MemTotal")).split()[1])
    with connection.cursor() as cursor:
        cursor.execute("show server_version")
        pg_version = cursor.fetchone()[0]
        cursor.execute("select current_database()")
        database = cursor.fetchone()[0]
    return {
        "nproc": os.cpu_count(),
        "memory_gib": round(total_kib / 1024 / 1024, 1),
        "cpu": _cpu_model(),
        "postgresql": pg_version,
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": database,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def code_version() -> dict:
    """The commit measured, and whether the tree differs from it."""
    project = Path(__file__).resolve().parent.parent

    def git(*args):
        result = subprocess.run(  # noqa: S603 - fixed git arguments
            ["git", "-C", str(project), *args],  # noqa: S607 - git from PATH
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip() if result.returncode == 0 else None

    commit = git("rev-parse", "HEAD")
    if commit is None:
        return {"commit": os.environ.get("BENCH_COMMIT", "unknown (not a git checkout)")}
    changed = git("status", "--porcelain", "--untracked-files=no") or ""
    return {"commit": commit, "uncommitted_changes": changed.splitlines()}


def data_size() -> dict:
    tables = {
        "councils": "councils_council",
        "users": "councils_user",
        "inspections": "inspections_inspection",
        "findings": "inspections_finding",
        "actions": "actions_action",
        "progress_updates": "actions_progressupdate",
        "action_history_rows": "actions_historicalaction",
    }
    sizes = {}
    with connection.cursor() as cursor:
        for name, table in tables.items():
            cursor.execute(f"select count(*) from {table}")  # noqa: S608 - fixed names
            sizes[name] = cursor.fetchone()[0]
    return sizes


def targets_met(page: Page, smoke: bool) -> dict:
    """Issue 10's targets for this page: True, False, or None when not applicable."""
    met: dict = {"queries_at_most_15": page.queries is not None and page.queries <= MAX_QUERIES}
    if page.name == BASELINE:
        met["p95_under_150ms"] = page.p95_ms is not None and page.p95_ms < P95_TARGET_MS
    elif page.kind == "html":
        limit = 2 if page.name in LIST_PAGES else 3
        met["p95_under_150ms"] = page.p95_ms is not None and page.p95_ms < P95_TARGET_MS
        met[f"within_{limit}x_floor"] = page.ratio is not None and page.ratio <= limit
    else:
        met[f"under_{EXPORT_TARGET_S[page.name]:g}s"] = (
            page.median_ms is not None and page.median_ms / 1000 < EXPORT_TARGET_S[page.name]
        )
        met["memory_under_50mib_above_idle"] = (
            page.memory is not None and page.memory["above_idle_mib"] < EXPORT_MEMORY_TARGET_MIB
        )
    if smoke:
        met = {key: value for key, value in met.items() if key == "queries_at_most_15"}
    return met


def _fmt(value, digits=1, suffix="") -> str:
    return "-" if value is None else f"{value:,.{digits}f}{suffix}"


def print_table(pages: list[Page]) -> None:
    header = (
        f"{'page':<20} {'queries':>7} {'median ms':>10} {'p95 ms':>9} {'cpu ms':>7} "
        f"{'floor ms':>9} {'ratio':>6} {'net':>6}  status  description"
    )
    print(header)
    print("-" * len(header))
    baseline = baseline_of(pages)
    for page in pages:
        statuses = sorted(set(page.statuses))
        print(
            f"{page.name:<20} {page.queries if page.queries is not None else '-':>7} "
            f"{_fmt(page.median_ms):>10} {_fmt(page.p95_ms):>9} {_fmt(page.worker_cpu_ms):>7} "
            f"{_fmt(page.floor_ms, 2):>9} "
            f"{_fmt(page.ratio, 1, 'x'):>6} {_fmt(page.net_ratio(baseline), 1, 'x'):>6}  "
            f"{','.join(map(str, statuses)):<6}  {page.description}"
        )


def page_json(page: Page, smoke: bool, baseline: Page | None = None) -> dict:
    return {
        "name": page.name,
        "path": page.path,
        "description": page.description,
        "as": page.who,
        "kind": page.kind,
        "statuses": sorted(set(page.statuses)),
        "bytes": page.bytes,
        "queries": page.queries,
        "http": {
            "requests": len(page.http_s),
            "median_ms": _round(page.median_ms),
            "p95_ms": _round(page.p95_ms),
            "min_ms": _round(min(page.http_s) * 1000 if page.http_s else None),
            "max_ms": _round(max(page.http_s) * 1000 if page.http_s else None),
            "worker_cpu_ms_per_request": _round(page.worker_cpu_ms, 1),
        },
        "floor": {
            "median_ms": _round(page.floor_ms, 3),
            "queries": page.floor_queries,
            "rows": page.floor_rows,
            "sql": bench_floor.describe(page.name),
            "check": page.floor_check,
        },
        "ratio_median_to_floor": _round(page.ratio, 2),
        "ratio_p95_to_floor": _round(
            page.p95_ms / page.floor_ms if page.ratio and page.p95_ms else None, 2
        ),
        "net_ratio_to_floor": _round(page.net_ratio(baseline), 2),
        "memory": page.memory,
        "explain": page.explain,
        "targets_met": targets_met(page, smoke),
        "sql": page.sql,
    }


def _round(value, digits=2):
    return None if value is None else round(value, digits)


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def run(args, secret_key: str, database_url: str, static_root: str) -> int:
    started = time.time()
    load_at_start = load_average()
    log("choosing the council, people and objects to measure...")
    targets = choose_targets()
    log(json.dumps(targets.describe(), indent=2, default=str))
    pages = pages_for(targets)
    conninfo = _conninfo(database_url)
    env = bench_server.production_env(secret_key, database_url, static_root)
    breakdowns: dict = {}
    server_info: dict = {}
    try:
        log("collecting static files into a temporary STATIC_ROOT...")
        bench_server.collectstatic(env)
        with RunAccounts(targets.member, args.member_password) as accounts:
            with bench_server.Gunicorn(env) as server:
                log(f"gunicorn on 127.0.0.1:{server.port}, worker pid {server.worker_pid()}")
                member = bench_server.Client(server.port)
                member.sign_in("/sign-in/", targets.member.username, accounts.member_password)
                member.switch_council(targets.council.pk)
                admin = bench_server.Client(server.port)
                admin.sign_in(
                    "/admin/login/?next=/admin/",
                    accounts.superuser.username,
                    accounts.superuser_password,
                    next_url="/admin/",
                )
                accounts.session_keys += [member.cookies["sessionid"], admin.cookies["sessionid"]]
                clients = {"member": member, "superuser": admin}
                server_info["idle_rss_mib_at_start"] = round(
                    bench_server.rss_mib(server.worker_pid()), 1
                )
                for page in pages:
                    log(f"HTTP: {page.name} {page.path}")
                    if page.kind == "html":
                        time_over_http(server, clients[page.who], page, args.warmup, args.requests)
                    else:
                        time_export(
                            server, clients[page.who], page, args.warmup, args.export_requests
                        )
                server_info["worker_pid"] = server.worker_pid()
                server_info["log_tail"] = server.log_tail(2000)

            log("in-process: counting each page's queries...")
            in_process = {
                "member": bench_inprocess.client_for(accounts.session_keys[0]),
                "superuser": bench_inprocess.client_for(accounts.session_keys[1]),
            }
            for page in pages:
                status, count, sql, body = bench_inprocess.count_queries(
                    in_process[page.who], page.path
                )
                page.query_status, page.queries, page.sql = status, count, sql
                with psycopg.connect(conninfo, autocommit=True) as conn:
                    page.floor_check = bench_floor.check_rows(page.name, conn, targets, body)
                page.explain = bench_inprocess.explain(sql)
                if args.show_sql:
                    print(f"\n== {page.name} {page.path}: {count} queries")
                    for number, statement in enumerate(sql, 1):
                        print(f"-- {number}\n{statement}")

            html_pages = [p for p in pages if p.kind == "html" and p.http_s]
            slowest = sorted(html_pages, key=lambda p: p.median_ms, reverse=True)
            runs = 1 if args.smoke else max(5, min(15, args.requests // 2))
            for page in slowest[:BREAKDOWN_PAGES]:
                log(f"in-process: where {page.name}'s time goes...")
                client = in_process[page.who]
                breakdowns[page.name] = {
                    "path": page.path,
                    "http_median_ms": _round(page.median_ms),
                    **bench_inprocess.breakdown(client, page.path, runs),
                }
                if not args.smoke:
                    breakdowns[page.name]["profile_own_time"] = bench_inprocess.profile(
                        client, page.path, PROFILE_RUNS
                    )
                    breakdowns[page.name]["profile_cumulative"] = bench_inprocess.profile_project(
                        client, page.path, PROFILE_RUNS
                    )

        for page in pages:
            log(f"floor: {page.name}")
            requests = args.requests if page.kind == "html" else args.export_requests
            time_floor(conninfo, page, targets, args.warmup, requests)
    finally:
        pass

    print()
    print_table(pages)
    print_breakdowns(breakdowns)
    print_exports(pages)

    failures = [f"clean-up: {warning}" for warning in accounts.warnings]
    for page in pages:
        if set(page.statuses) != {200}:
            failures.append(f"{page.name} answered {sorted(set(page.statuses))} over HTTP")
        if page.query_status != 200 or page.queries is None:
            failures.append(f"{page.name}: queries not counted (status {page.query_status})")
        if page.floor_check and not page.floor_check["same_rows_in_same_order"]:
            failures.append(f"{page.name}: the floor's rows are not the page's {page.floor_check}")
    result = {
        "generated_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "command": "DATABASE_URL=postgres://... .venv/bin/python scripts/benchmark_pages.py "
        + " ".join(sys.argv[1:]),
        "smoke": args.smoke,
        "code": code_version(),
        "machine": {**machine(), "load_average_at_start": load_at_start},
        "data": data_size(),
        "server": {
            "gunicorn": "1 sync worker, production settings (config.settings.base; "
            "STATIC_ROOT in a temporary folder), DEBUG off, plain HTTP on 127.0.0.1",
            "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
            **server_info,
        },
        "method": {
            "requests_per_page": args.requests,
            "requests_per_export": args.export_requests,
            "warmup_per_page": args.warmup,
            "http": "one new connection per request (gunicorn's sync worker closes it); "
            "time from sending the request to reading the last byte",
            "floor": "median of the same number of runs of the hand-written SQL, psycopg 3 "
            "on one connection, rows fetched into Python; sign-in and session queries "
            "are not part of the floor",
            "ratio": "HTTP median / floor median",
            "net_ratio": "(HTTP median less the baseline page's median) / floor median: "
            "the page's own cost against its SQL, without what every page pays",
            "worker_cpu": "user+system CPU of the gunicorn worker over the timed requests, "
            "per request (10 ms ticks): what the page costs the server in Python, "
            "whatever else the machine is doing; PostgreSQL's own CPU is not in it",
        },
        "targets_chosen": targets.describe(),
        "pages": [page_json(page, args.smoke, baseline_of(pages)) for page in pages],
        "breakdown": breakdowns,
        "failures": failures,
        "seconds": round(time.time() - started, 1),
        "load_average_at_end": load_average(),
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
        log(f"wrote {args.json}")
    if failures:
        print("\nFAILED:\n  " + "\n  ".join(failures))
        return 1
    return 0


def print_breakdowns(breakdowns: dict) -> None:
    if not breakdowns:
        return
    print("\nWhere the time goes (in-process, mean of runs), the slowest pages:")
    print(f"{'page':<20} {'total ms':>9} {'SQL ms':>8} {'templates ms':>13} {'Python ms':>10}")
    for name, split in breakdowns.items():
        print(
            f"{name:<20} {split['in_process_mean_ms']:>9.1f} {split['sql_ms']:>8.1f} "
            f"{split['template_ms']:>13.1f} {split['python_ms']:>10.1f}"
        )


def print_exports(pages: list[Page]) -> None:
    exports = [page for page in pages if page.memory]
    if not exports:
        return
    print("\nExports (gunicorn worker RSS):")
    for page in exports:
        memory = page.memory
        print(
            f"{page.name:<12} median {_fmt(page.median_ms / 1000, 2)} s, "
            f"p95 {_fmt(page.p95_ms / 1000, 2)} s, {page.bytes:,} bytes; "
            f"idle {memory['idle_rss_mib']} MiB, peak {memory['peak_rss_mib']} MiB "
            f"(+{memory['above_idle_mib']} MiB)"
        )


def _conninfo(database_url: str) -> str:
    """dj-database-url's URL as a libpq one (postgres:// is accepted by libpq as it is)."""
    return database_url
