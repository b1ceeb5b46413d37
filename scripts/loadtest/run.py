"""Load test (issue 10): locust's signed-in users against gunicorn in production mode, on loopback.

Against a scratch PostgreSQL database filled by `manage.py generate_data` (the run
adds progress updates and evidence files to it, and the timeline is append-only):

1. chooses the accounts: generated members of --councils councils (the biggest
   first, then councils of middling size), each with one membership; staff who own
   open actions, and managers;
2. starts gunicorn with the production settings (DEBUG off, Secure cookies, HSTS,
   WhiteNoise), plain HTTP on 127.0.0.1 only (SECURE_SSL_REDIRECT=false,
   ALLOWED_HOSTS=127.0.0.1), static files collected and evidence kept in temporary
   folders, --workers processes of --threads threads each;
3. runs locust headless (scripts/loadtest/locustfile.py) with --users users, started
   --spawn-rate a second, writing its CSV files; once the last user has signed in
   (password hashing makes signing in the costliest request), the statistics are
   reset and --time is measured, then locust stops (its --run-time is --time plus
   --sign-in-allowance, as a backstop);
4. always stops locust and gunicorn, with a hard time limit on the whole run;
5. checks in the database that every progress update that got a success response is
   there exactly once (by its unique note), with its evidence file, and that nothing
   else with the run's mark was written;
6. prints the requests, throughput, median, 95th and 99th percentiles per request
   type and overall, the failures and the exactly-once result.

Exits 0 only when there were no failures and every update is there exactly once.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/load_test \\
        .venv/bin/python scripts/loadtest/run.py --users 50 --spawn-rate 10 --time 60s
"""

import argparse
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from pathlib import Path

LOADTEST = Path(__file__).resolve().parent
SCRIPTS = LOADTEST.parent
PROJECT = SCRIPTS.parent
sys.path[:0] = [str(PROJECT), str(SCRIPTS)]

import bench_server  # noqa: E402 - needs the path above
from benchmark_pages import configure_django  # noqa: E402

HOST = bench_server.HOST  # 127.0.0.1, and nothing else
LOCUSTFILE = LOADTEST / "locustfile.py"


# --- gunicorn ------------------------------------------------------------------------


class LoadGunicorn(bench_server.Gunicorn):
    """The page benchmark's gunicorn (one worker, started and stopped the same way), grown.

    Threads come from GUNICORN_CMD_ARGS (gunicorn's documented environment variable;
    more than one thread turns the sync worker into gthread), and the other workers
    from SIGTTIN to the master, gunicorn's documented signal for one more worker
    (bench_server.Gunicorn names one worker on the command line, which wins over
    the environment).
    """

    def __init__(self, env: dict[str, str], workers: int, threads: int):
        # No control socket: gunicorn 27's default path is shared by every gunicorn of
        # the same user on the machine, and nothing here needs it.
        env = {**env, "GUNICORN_CMD_ARGS": f"--threads {threads} --no-control-socket"}
        super().__init__(env, timeout=120)
        self.workers = workers
        self.threads = threads

    def start(self) -> None:
        # __exit__ does not run when __enter__ raises: stop here what was started.
        try:
            super().start()
            self._add_workers()
        except BaseException:
            self.stop()
            raise

    def _add_workers(self) -> None:
        deadline = time.monotonic() + 120
        # One signal at a time: the kernel merges a signal sent again before it is handled.
        while (count := len(self.worker_pids())) < self.workers:
            self.process.send_signal(signal.SIGTTIN)
            while len(self.worker_pids()) == count:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(
                        f"gunicorn did not start {self.workers} workers:\n{self.log_tail()}"
                    )
                time.sleep(0.1)

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []


# --- Accounts ------------------------------------------------------------------------


def choose_accounts(councils: int, users: int) -> list[dict]:
    """Generated members with one membership: about 70% staff owning open actions, 30% managers."""
    from django.db.models import Count, Exists, OuterRef, Q

    from actions.models import Action
    from actions.rag import Status
    from councils.models import Council, Membership, Role, User

    closed = (Status.COMPLETE, Status.CANCELLED)
    by_size = list(
        Council.objects.annotate(
            actions=Count(
                "inspections__findings__actions",
                filter=~Q(inspections__findings__actions__status__in=closed),
            )
        )
        .filter(actions__gt=0)
        .order_by("-actions", "name")
        .values_list("pk", "name", "actions")
    )
    if not by_size:
        raise SystemExit("No council has open actions: run manage.py generate_data first.")
    big = min(3, councils)
    middle = len(by_size) // 2
    chosen = by_size[:big] + by_size[middle : middle + councils - big]

    single = User.objects.annotate(n=Count("memberships")).filter(n=1).values("pk")
    owns_open = Action.objects.filter(owner=OuterRef("user")).exclude(status__in=closed)
    per_council = -(-users // len(chosen))  # ceiling
    accounts: list[dict] = []
    for pk, name, _ in chosen:
        members = Membership.objects.filter(
            council_id=pk,
            user__in=single,
            user__is_active=True,
            user__username__startswith="gen.",
        ).order_by("user__username")
        managers = per_council * 3 // 10
        staff = list(
            members.filter(role=Role.STAFF)
            .filter(Exists(owns_open))
            .values_list("user__username", flat=True)[: per_council - managers]
        )
        bosses = list(
            members.filter(role=Role.MANAGER).values_list("user__username", flat=True)[
                : per_council - len(staff)
            ]
        )
        accounts += [{"username": u, "role": "staff", "council": name} for u in staff]
        accounts += [{"username": u, "role": "manager", "council": name} for u in bosses]
    if not accounts:
        raise SystemExit("No generated members found: run manage.py generate_data first.")

    from django.contrib.auth.hashers import check_password

    from actions.generator import GENERATED_PASSWORD

    first = User.objects.get(username=accounts[0]["username"])
    if not check_password(GENERATED_PASSWORD, first.password):
        raise SystemExit(f"{first.username} does not have generate_data's password.")
    return accounts


def sign_in_failures(accounts: list[dict]) -> int:
    """django-axes' failure records for these accounts (none, with the right password)."""
    from axes.models import AccessAttempt

    attempts = AccessAttempt.objects.filter(username__in=[a["username"] for a in accounts])
    return attempts.count()


# --- Checks ----------------------------------------------------------------------------


def check_exactly_once(results_path: Path, run_id: str, media_root: Path) -> dict:
    """Every update that got a success response is in the database once, with its file.

    An update refused with an error response must not be there at all; one whose
    request was cut off when the run stopped ("no response") may be, but once at most.
    """
    from django.db.models import Count

    from actions.models import ProgressUpdate

    sent = [json.loads(line) for line in results_path.read_text().splitlines() if line.strip()]
    by_outcome = {
        outcome: {r["note"] for r in sent if r["outcome"] == outcome}
        for outcome in ("success", "failure", "no response")
    }
    succeeded = by_outcome["success"]
    rows = (
        ProgressUpdate.objects.filter(note__contains=f"Load test {run_id}:")
        .values("note")
        .annotate(n=Count("id"))
    )
    counts = {row["note"]: row["n"] for row in rows}
    problems = {
        "missing": sorted(note for note in succeeded if note not in counts),
        "duplicated": sorted(note for note, n in counts.items() if n > 1),
        "written_after_error_response": sorted(n for n in by_outcome["failure"] if n in counts),
        "not_sent_by_this_run": sorted(set(counts) - set().union(*by_outcome.values())),
        "without_evidence_file": [
            update.note
            for update in ProgressUpdate.objects.filter(note__in=succeeded)
            if not update.evidence_file or not (media_root / update.evidence_file.name).is_file()
        ],
    }
    return {
        "sent": len(sent),
        "succeeded": len(succeeded),
        "error_responses": len(by_outcome["failure"]),
        "no_response": len(by_outcome["no response"]),
        "no_response_saved": sum(1 for note in by_outcome["no response"] if note in counts),
        "rows_in_database": sum(counts.values()),
        "problems": {key: notes for key, notes in problems.items() if notes},
        "ok": bool(succeeded) and not any(problems.values()),
    }


# --- Report ----------------------------------------------------------------------------


def total(snapshot: dict | None) -> dict:
    rows = (snapshot or {}).get("rows") or [{}]
    return rows[-1]  # locust's "Aggregated" row comes last


def figures(stats: dict) -> dict:
    """The measured window's figures, and the failures of the whole run."""
    window, start = stats.get("window"), stats.get("window_start")
    window_s = window["at"] - start["at"] if window and start else None
    failures = total(stats.get("sign_in_phase")).get("failures", 0) + total(
        stats.get("after_reset")
    ).get("failures", 0)
    errors = [
        *(stats.get("sign_in_phase") or {}).get("errors", []),
        *(stats.get("after_reset") or {}).get("errors", []),
    ]
    # Signing in happens before the window: its empty lines are left out.
    rows = [row for row in window["rows"] if row["requests"]] if window else []
    for row in rows:
        row["rps"] = round(row["requests"] / window_s, 2) if window_s else None
    return {
        "window_s": round(window_s, 1) if window_s else None,
        "rows": rows,
        "sign_in": list((stats.get("sign_in_phase") or {}).get("rows", [])),
        "failures": failures,
        "errors": errors,
    }


def print_table(rows: list[dict], with_rps: bool = True) -> None:
    header = f"{'request':<50} {'count':>6} {'fail':>5}" + "".join(
        f" {heading:>7}" for heading in ("req/s", "median", "p95", "p99", "max")
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row["name"] == "Aggregated":
            print("-" * len(header))
            name = "all requests"
        else:
            name = f"{row['method']} {row['name']}"

        def ms(value):
            return "" if value is None else f"{value:.0f}ms"

        rps = f"{row['rps']:.1f}" if with_rps and row.get("rps") is not None else ""
        print(
            f"{name[:50]:<50} {row['requests']:>6} {row['failures']:>5} {rps:>7} "
            f"{ms(row['median_ms']):>7} {ms(row['p95_ms']):>7} {ms(row['p99_ms']):>7} "
            f"{ms(row['max_ms']):>7}"
        )


def print_report(result: dict, check: dict, context: dict) -> None:
    print()
    print(
        f"Load test {context['run_id']}: {context['users']} signed-in users for "
        f"{result['window_s']} s (after signing in), gunicorn {context['workers']} workers x "
        f"{context['threads']} threads, think time {context['wait']} s"
    )
    print(f"  {context['accounts']} accounts at: {'; '.join(context['councils'])}")
    print(
        f"  machine: {context['machine']}; load average before {context['load_before']}, "
        f"after {context['load_after']}"
    )
    if result["sign_in"]:
        print("\nBefore the measured window (signing in, and the first users' pages):")
        print_table(result["sign_in"], with_rps=False)
    if result["rows"]:
        print(f"\nThe measured {result['window_s']} s:")
        print_table(result["rows"])
        everything = result["rows"][-1]
        print(
            f"\nrequests: {everything['requests']}, throughput {everything['rps']:.1f} req/s, "
            f"median {everything['median_ms']} ms, 95th {everything['p95_ms']} ms, "
            f"99th {everything['p99_ms']} ms"
        )
    else:
        print("\nNo measured window: locust stopped before every user had tried to sign in.")
    print(f"failures (the whole run, signing in included): {result['failures']}")
    for error in result["errors"]:
        print(f"  x{error['occurrences']} {error['method']} {error['name']}: {error['error']}")
    print(
        f"progress updates: {check['sent']} sent, {check['succeeded']} succeeded, "
        f"{check['error_responses']} error responses, {check['no_response']} cut off when the "
        f"run stopped ({check['no_response_saved']} of them saved); "
        f"{check['rows_in_database']} rows with the run's mark in the database"
    )
    if check["ok"]:
        print(
            "exactly once: yes: every update that got a success response is in the "
            "database exactly once, with its evidence file"
        )
    else:
        found = ", ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in check["problems"].items())
        print(f"exactly once: NO: {found or 'no update succeeded'}")
        for key, notes in check["problems"].items():
            for note in notes[:5]:
                print(f"  {key}: {note}")


def machine() -> str:
    model = ""
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return f"{os.cpu_count()} cores {model}, Python {platform.python_version()}".strip()


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# --- Main ------------------------------------------------------------------------------


def run_locust(args, port: int, env: dict[str, str], prefix: Path, deadline: float) -> int:
    command = [
        sys.executable, "-m", "locust",
        "-f", str(LOCUSTFILE),
        "--headless",
        "-u", str(args.users),
        "-r", str(args.spawn_rate),
        "-t", f"{seconds(args.time) + args.sign_in_allowance}s",
        "--host", f"http://{HOST}:{port}",
        "--csv", str(prefix),
        "--stop-timeout", "15",
        "--only-summary",
        "--loglevel", "WARNING",
    ]  # fmt: skip
    process = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        command, cwd=PROJECT, env=env, start_new_session=True
    )
    try:
        return process.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        print("locust ran past the time limit: stopped", file=sys.stderr)
        return 124
    finally:
        if process.poll() is None:
            # Only what we started: its own session, made by start_new_session.
            with suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)


def _out_of_time(signum, frame):
    raise TimeoutError("the load test ran past its hard time limit")


def seconds(duration: str) -> int:
    units = {"s": 1, "m": 60, "h": 3600}
    if duration[-1] in units:
        return int(float(duration[:-1]) * units[duration[-1]])
    return int(duration)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--spawn-rate", type=float, default=10)
    parser.add_argument("--time", default="60s", help="measured time once all have signed in")
    parser.add_argument(
        "--sign-in-allowance", type=int, default=180, help="seconds allowed for signing in"
    )
    parser.add_argument("--councils", type=int, default=5)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker")
    parser.add_argument("--wait", default="2,8", help="think time, min,max seconds")
    parser.add_argument("--out", type=Path, help="folder for locust's CSV files and the notes")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)

    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        parser.error("set DATABASE_URL to a scratch PostgreSQL database filled by generate_data")
    # locust is stopped by `deadline`; the whole run, start-up and checks included, by
    # the alarm, whose exception unwinds through every `finally` and `with` below.
    run_time = seconds(args.time) + args.sign_in_allowance
    deadline = time.monotonic() + run_time + 300
    signal.signal(signal.SIGALRM, _out_of_time)
    signal.alarm(run_time + 900)

    run_id = secrets.token_hex(4)
    secret_key = secrets.token_urlsafe(50)
    static_root = tempfile.mkdtemp(prefix="loadtest-static-")
    media_root = Path(tempfile.mkdtemp(prefix="loadtest-media-"))
    out = args.out or Path(tempfile.mkdtemp(prefix=f"loadtest-{run_id}-"))
    out.mkdir(parents=True, exist_ok=True)
    results = out / "progress_updates.jsonl"
    results.write_text("")
    stats_path = out / "stats.json"
    stats_path.unlink(missing_ok=True)
    try:
        configure_django(secret_key, database_url, static_root)
        accounts = choose_accounts(args.councils, args.users)
        (out / "accounts.json").write_text(json.dumps(accounts, indent=1))
        councils = list(dict.fromkeys(a["council"] for a in accounts))
        print(f"{len(accounts)} accounts at {'; '.join(councils)}", flush=True)
        if (failed_before := sign_in_failures(accounts)) > 0:
            print(f"warning: django-axes holds {failed_before} failed sign-ins for these accounts")

        env = bench_server.production_env(secret_key, database_url, static_root)
        env.update(MEDIA_ROOT=str(media_root))
        bench_server.collectstatic(env)
        load_before = load_average()
        with LoadGunicorn(env, args.workers, args.threads) as server:
            print(
                f"gunicorn on http://{HOST}:{server.port} ({args.workers} workers x "
                f"{args.threads} threads); locust: {args.users} users, then {args.time} measured",
                flush=True,
            )
            locust_env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("LOADTEST_")},
                "LOADTEST_ACCOUNTS": str(out / "accounts.json"),
                "LOADTEST_RESULTS": str(results),
                "LOADTEST_STATS": str(stats_path),
                "LOADTEST_MEASURE": str(seconds(args.time)),
                "LOADTEST_RUN_ID": run_id,
                "LOADTEST_WAIT": args.wait,
            }
            locust_code = run_locust(args, server.port, locust_env, out / "locust", deadline)
            server_log = server.log_tail(3000)
        load_after = load_average()

        check = check_exactly_once(results, run_id, media_root)
        stats = json.loads(stats_path.read_text()) if stats_path.exists() else {}
        result = figures(stats)
        context = {
            "run_id": run_id,
            "users": args.users,
            "workers": args.workers,
            "threads": args.threads,
            "wait": args.wait,
            "accounts": len(accounts),
            "councils": councils,
            "machine": machine(),
            "load_before": load_before,
            "load_after": load_after,
            "locust_exit_code": locust_code,
        }
        print_report(result, check, context)
        if "Traceback" in server_log or "[ERROR]" in server_log:
            print(f"\ngunicorn's log (the end):\n{server_log}")
        print(f"\nlocust's CSV files, its figures and the updates sent: {out}")
        if args.json:
            args.json.write_text(
                json.dumps({"context": context, "figures": result, "exactly_once": check}, indent=1)
            )
        ok = locust_code == 0 and result["rows"] and result["failures"] == 0 and check["ok"]
        if not ok:
            print(
                f"FAILED: locust exit code {locust_code}, {result['failures']} failed requests, "
                f"measured window: {'yes' if result['rows'] else 'no'}, "
                f"exactly once: {'yes' if check['ok'] else 'no'}"
            )
        return 0 if ok else 1
    finally:
        signal.alarm(0)
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(media_root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
