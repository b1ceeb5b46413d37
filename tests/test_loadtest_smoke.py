"""The load test's locustfile loads, and reads the pages' forms as they are (no server).

The load test itself (scripts/loadtest/run.py) is too heavy for CI. Importing locust
monkey-patches the standard library with gevent, so the locustfile is only ever
imported in a subprocess, never in the test run's own process.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
LOCUSTFILE = PROJECT / "scripts" / "loadtest" / "locustfile.py"

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("locust") is None, reason="locust is not installed"
)


def run(args: list[str]) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("LOADTEST_")}
    return subprocess.run(  # noqa: S603 - our own interpreter, fixed arguments
        [sys.executable, *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_locust_lists_the_user_class():
    result = run(["-m", "locust", "-f", str(LOCUSTFILE), "--list"])
    assert result.returncode == 0, result.stderr
    assert "CouncilUser" in result.stdout


def test_locust_refuses_a_host_other_than_loopback():
    result = run(
        ["-m", "locust", "-f", str(LOCUSTFILE), "--headless", "-u", "1", "-t", "1s"]
        + ["--host", "https://tracker.example.gov.uk"]
    )
    assert result.returncode == 2
    assert "only runs against 127.0.0.1" in result.stderr


FORM = """
<form method="post" action="/actions/42/progress/" enctype="multipart/form-data" novalidate>
<input type="hidden" name="csrfmiddlewaretoken" value="abc&amp;123">
<input class="govuk-radios__input" id="id_status_1" name="status" type="radio"
 value="in_progress">
<input class="govuk-radios__input" id="id_status_3" name="status" type="radio"
 value="blocked" checked>
<input type="text" name="percent_complete" value="35" inputmode="numeric" id="id_percent_complete">
</form>
<a href="/actions/42/">One</a> <a href="/actions/7/">Two</a> <a href="/actions/42/">One</a>
"""


def test_the_locustfile_reads_the_progress_form_and_action_links():
    code = f"""
import json, random, runpy
random.seed(1)
module = runpy.run_path({str(LOCUSTFILE)!r})
form = {FORM!r}
fields = module["progress_fields"](form, "A note")
print(json.dumps({{
    "fields": fields,
    "ids": module["action_ids"](form),
    "none": module["progress_fields"]("<p>No form</p>", "A note"),
    "filters": module["random_filters"](),
}}))
"""
    result = run(["-c", code])
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    fields = out["fields"]
    assert fields["csrfmiddlewaretoken"] == "abc&123"
    assert fields["status"] == "blocked"
    assert 36 <= int(fields["percent_complete"]) <= 45
    assert fields["note"] == "A note"
    assert out["ids"] == [42, 7]
    assert out["none"] is None
    assert out["filters"]
