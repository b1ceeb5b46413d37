"""For the page benchmark: what HTTP cannot tell, measured in-process with Django's test client.

- the SQL queries a page runs (CaptureQueriesContext);
- where a request's time goes: SQL (time inside cursor.execute, via
  connection.execute_wrapper), template rendering (time inside the outermost
  django.template.base.Template.render, less the SQL run from inside it, e.g. a
  lazy queryset evaluated by the template), and the rest, Python (views, forms,
  ORM object building, middleware);
- a cProfile of one request, for the pages that need explaining.

The client carries the session cookie of a sign-in made over HTTP, so the pages
are the same user's, on the same database, as the ones gunicorn served.
"""

import cProfile
import pstats
import statistics
import time
from contextlib import contextmanager
from pathlib import Path

from bench_server import HOST
from django.db import connection
from django.template import base as template_base
from django.test import Client
from django.test.utils import CaptureQueriesContext


def client_for(session_key: str) -> Client:
    client = Client(SERVER_NAME=HOST)
    client.cookies["sessionid"] = session_key
    return client


def fetch(client: Client, path: str):
    """GET a page and read all of it (a streamed export runs its queries while it is read)."""
    response = client.get(path)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def count_queries(client: Client, path: str) -> tuple[int, int, list[str], bytes]:
    """(status, number of queries, their SQL, body) for one request, after one to warm up.

    Counted twice, and the smaller count kept: a signed-in session is renewed (written)
    once a minute, whichever page is asked for then (config/sessions.py), and that
    minute's three queries belong to the person's minute, not to the page.
    """
    fetch(client, path)
    counted = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response, body = fetch(client, path)
        counted.append((len(captured), [q["sql"] for q in captured.captured_queries]))
    count, sql = min(counted, key=lambda pair: pair[0])
    return response.status_code, count, sql, body


class Timer:
    """Accumulates SQL and template time during requests (see the module's docstring)."""

    def __init__(self):
        self.sql = 0.0
        self.sql_in_templates = 0.0
        self.templates = 0.0
        # Inclusive time and renders per template name (an include counts in its parent too).
        self.by_template: dict[str, list] = {}
        self._depth = 0

    def execute(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = time.perf_counter() - start
            self.sql += elapsed
            if self._depth:
                self.sql_in_templates += elapsed

    @contextmanager
    def installed(self):
        original = template_base.Template.render
        timer = self

        def render(template, context):
            timer._depth += 1
            start = time.perf_counter()
            try:
                return original(template, context)
            finally:
                elapsed = time.perf_counter() - start
                timer._depth -= 1
                if not timer._depth:
                    timer.templates += elapsed
                entry = timer.by_template.setdefault(template.name or "(string)", [0.0, 0])
                entry[0] += elapsed
                entry[1] += 1

        template_base.Template.render = render
        try:
            with connection.execute_wrapper(self.execute):
                yield self
        finally:
            template_base.Template.render = original


def breakdown(client: Client, path: str, runs: int) -> dict:
    """Median in-process time of `runs` requests and its mean split into SQL, templates, Python."""
    fetch(client, path)
    totals, splits, by_template = [], [], {}
    for _ in range(runs):
        timer = Timer()
        with timer.installed():
            start = time.perf_counter()
            fetch(client, path)
            total = time.perf_counter() - start
        templates = timer.templates - timer.sql_in_templates
        totals.append(total)
        splits.append((timer.sql, templates, total - timer.sql - templates))
        for name, (seconds, renders) in timer.by_template.items():
            entry = by_template.setdefault(name, [0.0, 0])
            entry[0] += seconds
            entry[1] += renders
    ms = 1000 / runs
    sql, templates, python = (sum(part) * ms for part in zip(*splits, strict=True))
    mean = sum(totals) * ms
    return {
        "in_process_median_ms": round(statistics.median(totals) * 1000, 2),
        "in_process_mean_ms": round(mean, 2),
        "sql_ms": round(sql, 2),
        "template_ms": round(templates, 2),
        "python_ms": round(python, 2),
        "sql_share": round(sql / mean, 3) if mean else None,
        "template_share": round(templates / mean, 3) if mean else None,
        "python_share": round(python / mean, 3) if mean else None,
        "runs": runs,
        "templates_inclusive": sorted(
            (
                {
                    "template": name,
                    "renders": round(renders / runs, 1),
                    "ms": round(seconds * 1000 / runs, 2),
                }
                for name, (seconds, renders) in by_template.items()
            ),
            key=lambda row: row["ms"],
            reverse=True,
        )[:15],
    }


def profile(client: Client, path: str, runs: int = 5, top: int = 25) -> list[dict]:
    """The functions with the most time of their own, per request, over `runs` requests (cProfile).

    Own time of code that cProfile cannot see into (psycopg's C parts, socket waits)
    is counted in the Python function that called it.
    """
    fetch(client, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fetch(client, path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, calls, own, cumulative, _) in stats.stats.items():
        rows.append(
            {
                "function": f"{_short(filename)}:{line}({name})",
                "calls": round(calls / runs, 1),
                "own_ms": round(own * 1000 / runs, 2),
                "cumulative_ms": round(cumulative * 1000 / runs, 2),
            }
        )
    rows.sort(key=lambda row: row["own_ms"], reverse=True)
    return rows[:top]


def profile_project(client: Client, path: str, runs: int = 5, top: int = 25) -> list[dict]:
    """The project's own functions and templates' tags by cumulative time per request."""
    fetch(client, path)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        fetch(client, path)
    profiler.disable()
    stats = pstats.Stats(profiler)
    rows = []
    for (filename, line, name), (_, calls, _own, cumulative, _) in stats.stats.items():
        short = _short(filename)
        if not (
            short.startswith(("actions/", "councils/", "inspections/", "config/"))
            or "crispy" in short
            or "django/forms/" in short
            or "django_filters/" in short
            or "django/contrib/admin/" in short
        ):
            continue
        rows.append(
            {
                "function": f"{short}:{line}({name})",
                "calls": round(calls / runs, 1),
                "cumulative_ms": round(cumulative * 1000 / runs, 2),
            }
        )
    rows.sort(key=lambda row: row["cumulative_ms"], reverse=True)
    return rows[:top]


_PROJECT = str(Path(__file__).resolve().parent.parent) + "/"


def _short(filename: str) -> str:
    for marker in ("site-packages/", _PROJECT):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename


BIG_TABLES = ("actions_action", "actions_progressupdate", "actions_historicalaction")


def explain(statements: list[str]) -> dict:
    """EXPLAIN ANALYZE each of a page's SELECTs: time in the database and any sequential scans."""
    queries = []
    for sql in statements:
        if sql.startswith("DECLARE "):  # a streamed export's server-side cursor
            sql = sql.split(" FOR ", 1)[1]
        if not sql.startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        plan = plan[0] if isinstance(plan, list) else plan
        nodes = list(_nodes(plan["Plan"]))
        queries.append(
            {
                "sql": sql[:160] + ("..." if len(sql) > 160 else ""),
                "execution_ms": round(plan["Execution Time"], 2),
                "planning_ms": round(plan["Planning Time"], 2),
                "seq_scans": sorted(
                    {
                        f"{node['Relation Name']} ({node.get('Actual Rows', 0)} rows)"
                        for node in nodes
                        if node["Node Type"] == "Seq Scan"
                    }
                ),
                "top_node": f"{plan['Plan']['Node Type']}",
            }
        )
    queries.sort(key=lambda q: q["execution_ms"], reverse=True)
    return {
        "execution_ms": round(sum(q["execution_ms"] for q in queries), 2),
        "planning_ms": round(sum(q["planning_ms"] for q in queries), 2),
        "seq_scans_of_big_tables": sorted(
            {scan for q in queries for scan in q["seq_scans"] if scan.startswith(BIG_TABLES)}
        ),
        "queries": queries,
    }


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
