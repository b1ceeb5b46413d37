# ruff: noqa: S311 - random picks which page a simulated user visits next, not a secret.
"""Signed-in council users for the load test (issue 10): pages, filtered lists, exports, updates.

Run by scripts/loadtest/run.py, which starts gunicorn and passes, in the environment:

- LOADTEST_ACCOUNTS: a JSON file, a list of {"username", "role", "council"}: generated
  users with one membership each (staff own open actions; managers may log progress
  on any open action). Each simulated user signs in as the next account in the list.
- LOADTEST_PASSWORD: their password (generate_data's, by default).
- LOADTEST_RESULTS: a file this appends one JSON line to for every progress update
  sent: its unique note, the action, and whether it got a success response.
- LOADTEST_RUN_ID: a marker put in every note, so the run's updates can be found.
- LOADTEST_WAIT: the think time between tasks, "min,max" in seconds (default 2,8:
  a busy user who reads each page briefly).
- LOADTEST_MEASURE: seconds to measure once every user has signed in. Signing in
  hashes a password (PBKDF2, about half a second of CPU each), so 50 users signing
  in together hold the server's CPU for a while: each user waits after signing in
  until all have, the statistics are reset (the sign-in figures are kept apart),
  and locust stops after this many seconds of 50 signed-in users. Without it,
  locust's --run-time alone ends the run and everything is measured.
- LOADTEST_STATS: a JSON file written when locust quits: the sign-in phase, the
  measured window and everything after the reset, per request type, with the
  median, 95th and 99th percentiles (locust's, from its rounded buckets).

Every simulated user signs in over HTTP with the form's CSRF token, then works on its
own council's pages. A progress update is posted through the real form, multipart
with its CSRF token and a small PDF as evidence, and counts as a success only when it
answers with the redirect to the action's page.

FastHttpUser (geventhttpclient) rather than HttpUser: it costs the load generator
less CPU, which matters on a 2-core machine that also runs the server. Production
marks the session and CSRF cookies Secure (settings/base.py, with no switch), and a
standard cookie jar keeps them to https; each user's jar here is given a policy that
also sends them over plain HTTP, to 127.0.0.1 only (the page benchmark's client in
scripts/bench_server.py does the same).

Only 127.0.0.1 (or localhost) is accepted as --host: this is never pointed at a real
deployment.
"""

import html
import itertools
import json
import os
import random
import re
import sys
import time
import uuid
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import gevent
import gevent.event
from locust import between, events, task
from locust.contrib.fasthttp import FastHttpUser
from locust.exception import StopUser
from urllib3.filepost import encode_multipart_formdata

LOOPBACK = {"127.0.0.1", "localhost"}
PASSWORD = os.environ.get("LOADTEST_PASSWORD", "generated-data-only")
RUN_ID = os.environ.get("LOADTEST_RUN_ID") or uuid.uuid4().hex[:8]


def _wait_range() -> tuple[float, float]:
    low, _, high = os.environ.get("LOADTEST_WAIT", "2,8").partition(",")
    return float(low), float(high or low)


def _load_accounts() -> list[dict]:
    path = os.environ.get("LOADTEST_ACCOUNTS")
    return json.loads(Path(path).read_text()) if path else []


ACCOUNTS = _load_accounts()
_next_account = itertools.count()

# Statistics names: one line per kind of request, whatever the ids and filters.
DASHBOARD = "/ (dashboard)"
LIST = "/actions/?filters"
ACTION = "/actions/[id]/"
MINE = "/actions/mine/"
EXPORT = "/actions/export.csv?filters"
PROGRESS = "/actions/[id]/progress/ (multipart, file)"
SIGN_IN = "/sign-in/"

STATUSES = ["not_started", "in_progress", "blocked", "delivered", "complete"]
RAGS = ["red", "amber", "green", "blue"]
PRIORITIES = ["1", "2", "3"]
SORTS = ["rag", "-rag", "due", "-due", "status", "owner", "title", "-priority"]
WORDS = ["plan", "review", "training", "audit", "supervision", "care", "leavers", "quality"]

# A small PDF, as councils file evidence: the header is what the upload check reads.
EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

_CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_ACTION_LINK = re.compile(r'href="/actions/(\d+)/"')
_PROGRESS_FORM = re.compile(r'action="/actions/(\d+)/progress/"')
_PERCENT = re.compile(r'<input[^>]*name="percent_complete"[^>]*>')
_VALUE = re.compile(r'value="(\d+)"')
_CHECKED_STATUS = re.compile(r'<input[^>]*name="status"[^>]*value="(\w+)"[^>]*checked')
_ERROR = re.compile(r'class="govuk-error-summary__list".*?<a [^>]*>(.*?)</a>', re.S)


def csrf_token(text: str) -> str | None:
    match = _CSRF.search(text)
    return html.unescape(match.group(1)) if match else None


def action_ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(pk) for pk in _ACTION_LINK.findall(text)))


def random_filters() -> dict[str, str]:
    """One to three of the list's filters, sometimes a sort and a later page."""
    choices = {
        "status": lambda: random.choice(STATUSES),
        "rag": lambda: random.choice(RAGS),
        "priority": lambda: random.choice(PRIORITIES),
        "overdue": lambda: "on",
        "q": lambda: random.choice(WORDS),
    }
    params = {key: choices[key]() for key in random.sample(sorted(choices), random.randint(1, 3))}
    if random.random() < 0.5:
        params["sort"] = random.choice(SORTS)
    return params


def progress_fields(text: str, note: str) -> dict[str, str] | None:
    """The form's fields for a plausible next update, or None if the page has no form."""
    token = csrf_token(text)
    percent_input = _PERCENT.search(text)
    if not token or not _PROGRESS_FORM.search(text) or not percent_input:
        return None
    value = _VALUE.search(percent_input.group(0))
    percent = int(value.group(1)) if value else 0
    checked = _CHECKED_STATUS.search(text)
    status = checked.group(1) if checked else "in_progress"
    if status == "delivered":
        percent = 100
    else:
        status = status if status in ("in_progress", "blocked") else "in_progress"
        percent = min(99, percent + random.randint(1, 10))
    return {
        "csrfmiddlewaretoken": token,
        "note": note,
        "status": status,
        "percent_complete": str(percent),
        "evidence_url": "",
    }


class LoopbackCookiePolicy(DefaultCookiePolicy):
    """Secure cookies go over plain HTTP too, but only to the loopback address."""

    def return_ok_secure(self, cookie, request):
        if urlsplit(request.full_url).hostname in LOOPBACK:
            return True
        return super().return_ok_secure(cookie, request)


class Results:
    """One JSON line per progress update sent (gevent: one writer at a time)."""

    def __init__(self, path: str | None):
        self.file = open(path, "a", encoding="utf-8") if path else None  # noqa: SIM115

    def record(self, **fields) -> None:
        if self.file is not None:
            self.file.write(json.dumps(fields) + "\n")
            self.file.flush()


RESULTS = Results(os.environ.get("LOADTEST_RESULTS"))


def snapshot(stats) -> dict:
    """Locust's figures now, per request type and for all requests, and the errors."""
    rows = []
    entries = sorted(stats.entries.values(), key=lambda entry: (entry.name, entry.method))
    for entry in [*entries, stats.total]:
        counted = entry.num_requests > 0
        rows.append(
            {
                "method": entry.method or "",
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "median_ms": entry.get_response_time_percentile(0.5) if counted else None,
                "p95_ms": entry.get_response_time_percentile(0.95) if counted else None,
                "p99_ms": entry.get_response_time_percentile(0.99) if counted else None,
                "avg_ms": round(entry.avg_response_time, 1),
                "max_ms": round(entry.max_response_time or 0),
            }
        )
    errors = [
        {"method": e.method, "name": e.name, "error": str(e.error), "occurrences": e.occurrences}
        for e in stats.errors.values()
    ]
    return {"rows": rows, "errors": errors, "at": time.time()}


class Window:
    """The measured part of the run: LOADTEST_MEASURE seconds once every user has signed in.

    Users wait after signing in until every user has tried (so the sign-ins' password
    hashing is not mixed into the pages' figures); then the statistics are reset and
    everyone starts at once. A failed sign-in counts as tried: its user stops, the
    failure is kept in the sign-in figures, and the run fails.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.environment = None
        self.signed_in = 0
        self.tried = 0
        self.everyone = gevent.event.Event()
        self.sign_in_phase: dict | None = None
        self.start: dict | None = None
        self.end: dict | None = None

    def sign_in_done(self, success: bool) -> None:
        self.tried += 1
        self.signed_in += int(success)
        environment = self.environment
        if not self.seconds or environment is None or self.start is not None:
            self.everyone.set()
            return
        options = environment.parsed_options
        if options is None or self.tried >= options.num_users:
            self.sign_in_phase = snapshot(environment.stats)
            environment.stats.reset_all()
            self.start = {"at": time.time(), "users": self.signed_in}
            gevent.spawn_later(self.seconds, self.stop)
            self.everyone.set()

    def wait_for_everyone(self) -> None:
        self.everyone.wait()

    def stop(self) -> None:
        # The window's figures are the requests finished within it; locust then lets
        # each user finish what it is doing (--stop-timeout) and quits.
        self.end = snapshot(self.environment.stats)
        self.environment.runner.quit()

    def write(self, path: str) -> None:
        final = snapshot(self.environment.stats)
        Path(path).write_text(
            json.dumps(
                {
                    "measure_s": self.seconds,
                    "signed_in": self.signed_in,
                    "sign_in_phase": self.sign_in_phase,
                    "window_start": self.start,
                    "window": self.end,
                    "after_reset": final,
                },
                indent=1,
            )
        )


WINDOW = Window(float(os.environ.get("LOADTEST_MEASURE") or 0))


@events.init.add_listener
def refuse_other_hosts(environment, **_kwargs):
    host = environment.host or ""
    if host and urlsplit(host).hostname not in LOOPBACK:
        sys.stderr.write(f"The load test only runs against 127.0.0.1, not {host!r}.\n")
        sys.exit(2)
    WINDOW.environment = environment


@events.quit.add_listener
def write_stats(**_kwargs):
    if os.environ.get("LOADTEST_STATS") and WINDOW.environment is not None:
        WINDOW.write(os.environ["LOADTEST_STATS"])


class CouncilUser(FastHttpUser):
    """A signed-in member of one council: a member of staff or a manager."""

    wait_time = between(*_wait_range())
    # One request at a time, on the user's own connections, as one browser tab.
    concurrency = 1

    def on_start(self):
        if urlsplit(self.host).hostname not in LOOPBACK:
            raise StopUser()
        if not ACCOUNTS:
            raise StopUser()
        self.client.cookiejar.set_policy(LoopbackCookiePolicy())
        self.account = ACCOUNTS[next(_next_account) % len(ACCOUNTS)]
        self.seen: list[int] = []  # the council's actions seen in lists
        self.mine: list[int] = []  # actions this user may log progress on
        self.updates = 0
        self.sign_in()
        WINDOW.wait_for_everyone()
        # A think time first, so that 50 users do not all click in the same instant.
        gevent.sleep(random.uniform(*_wait_range()))

    # --- Signing in -----------------------------------------------------------------

    def sign_in(self):
        with self.client.get(SIGN_IN, name=SIGN_IN, catch_response=True) as response:
            token = csrf_token(response.text or "")
            if response.status_code != 200 or not token:
                response.failure(f"sign-in page: HTTP {response.status_code}, no CSRF token")
                WINDOW.sign_in_done(success=False)
                raise StopUser()
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "username": self.account["username"],
                "password": PASSWORD,
            }
        )
        with self.client.post(
            SIGN_IN,
            data=body,
            name=SIGN_IN,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(
                    f"signing in as {self.account['username']}: HTTP {response.status_code}"
                )
                WINDOW.sign_in_done(success=False)
                raise StopUser()
        WINDOW.sign_in_done(success=True)

    # --- Pages ----------------------------------------------------------------------

    def page(self, path: str, name: str) -> str | None:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return None
            return response.text or ""

    @task(6)
    def dashboard(self):
        self.page("/", DASHBOARD)

    @task(10)
    def filtered_list(self):
        text = self.page("/actions/?" + urlencode(random_filters()), LIST)
        if text:
            self.seen = (action_ids(text) + self.seen)[:100]

    @task(8)
    def action_page(self):
        if not self.seen:
            text = self.page("/actions/", LIST)
            self.seen = action_ids(text or "")
        if self.seen:
            self.page(f"/actions/{random.choice(self.seen)}/", ACTION)

    @task(4)
    def my_actions(self):
        text = self.page("/actions/mine/", MINE)
        if text and self.account["role"] == "staff":
            self.mine = action_ids(text)

    # Occasionally (one task in 33): most exports are of a filtered list, some are of
    # the council's whole plan (6,000 rows at the biggest councils).
    @task(1)
    def export_csv(self):
        params = random_filters() if random.random() < 0.7 else {}
        with self.client.get(
            "/actions/export.csv?" + urlencode(params), name=EXPORT, catch_response=True
        ) as response:
            kind = (response.headers or {}).get("Content-Type", "")
            if response.status_code != 200 or not kind.startswith("text/csv"):
                response.failure(f"HTTP {response.status_code}, {kind or 'no content type'}")

    # --- Progress updates ------------------------------------------------------------

    def candidates(self) -> list[int]:
        """Open actions this user may log progress on."""
        if self.account["role"] == "staff":
            if not self.mine:
                self.mine = action_ids(self.page("/actions/mine/", MINE) or "")
            return self.mine
        if not self.mine:
            text = self.page("/actions/?status=in_progress&sort=-due", LIST)
            self.mine = action_ids(text or "")
        return self.mine

    @task(4)
    def log_progress(self):
        candidates = self.candidates()
        if not candidates:
            return
        pk = random.choice(candidates)
        text = self.page(f"/actions/{pk}/", ACTION)
        if text is None:
            return
        self.updates += 1
        note = (
            f"Load test {RUN_ID}: {self.account['username']} update {self.updates} "
            f"({uuid.uuid4().hex}). Evidence attached."
        )
        fields = progress_fields(text, note)
        if fields is None:  # no form: closed, or not this user's to update
            candidates.remove(pk)
            return
        body, content_type = encode_multipart_formdata(
            [
                *fields.items(),
                ("evidence_file", (f"evidence-{self.updates}.pdf", EVIDENCE, "application/pdf")),
            ]
        )
        # "no response" when the request was cut off (the run stopping): it may or may not
        # have been saved, but never twice.
        outcome, status, reason = "no response", None, ""
        try:
            with self.client.post(
                f"/actions/{pk}/progress/",
                data=body,
                name=PROGRESS,
                headers={"Content-Type": content_type, "Referer": f"{self.host}/actions/{pk}/"},
                allow_redirects=False,
                catch_response=True,
            ) as response:
                status = response.status_code or None
                outcome = "failure" if status else "no response"
                location = response.headers.get("Location", "") if response.headers else ""
                if status == 302 and urlsplit(location).path == f"/actions/{pk}/":
                    outcome = "success"
                else:
                    found = _ERROR.search(response.text or "")
                    reason = html.unescape(found.group(1)).strip() if found else ""
                    response.failure(f"HTTP {status} {reason}".strip())
        finally:
            RESULTS.record(
                note=note,
                action=pk,
                outcome=outcome,
                status=status,
                reason=reason,
                user=self.account["username"],
            )
        if outcome == "success":
            self.page(f"/actions/{pk}/", ACTION)  # the redirect, as a browser follows it
