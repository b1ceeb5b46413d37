"""The Nu Html Checker (vnu-jar, from npm) run over saved pages, for the HTML validity tests.

One JVM start checks every file given; only errors are reported (`--errors-only`), each with
its page and line. Without Java or the jar the tests skip saying so, except where CI sets
REQUIRE_BROWSER_TESTS=1, where they fail.
"""

import json
import re
import shutil
import subprocess  # nosec B404 - runs the checker jar with fixed arguments
from collections import defaultdict
from pathlib import Path

import pytest

from .chromium import REQUIRED

ROOT = Path(__file__).resolve().parents[2]
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"

# Messages that the checker reports about markup that is right as it is. Each is one message,
# matched exactly, with the reason it is not ours to change. Empty for now: add an entry only
# for GOV.UK Frontend's own markup that the Design System documents, never to hide our own.
IGNORED: dict[str, str] = {}


def missing() -> str | None:
    """Why the checker cannot run here, or None when it can."""
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install openjdk-17-jre-headless)"
    if not VNU_JAR.exists():
        return f"the Nu Html Checker is not installed ({VNU_JAR.relative_to(ROOT)}; run `npm ci`)"
    return None


def require_checker() -> None:
    """Skip the calling test when the checker cannot run; fail instead where CI requires it."""
    reason = missing()
    if reason is None:
        return
    if REQUIRED:
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but HTML cannot be validated: {reason}")
    pytest.skip(f"HTML validity not checked: {reason}")


def check(paths: list[Path]) -> dict[Path, list[dict]]:
    """Check every file at once; return each file's errors (files without errors left out)."""
    java = shutil.which("java")
    assert java is not None, "check() needs Java: call require_checker() first"
    command = [java, "-jar", str(VNU_JAR), "--format", "json", "--errors-only"]
    command += ["--stdout", *[str(path) for path in paths]]
    # Our own jar and files, fixed arguments.
    result = subprocess.run(  # noqa: S603 # nosec B603
        command, capture_output=True, text=True, timeout=600, check=False
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (ValueError, KeyError):
        raise AssertionError(
            f"the Nu Html Checker did not answer in JSON (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        ) from None
    by_name = {path.resolve().as_uri(): path for path in paths}
    errors: dict[Path, list[dict]] = defaultdict(list)
    for message in messages:
        # "error" is invalid markup; "non-document-error" is a file it could not read at all.
        if message.get("type") not in ("error", "non-document-error"):
            continue
        if message.get("message") in IGNORED:
            continue
        path = by_name.get(_file_uri(message.get("url", "")), Path(message.get("url", "?")))
        errors[path].append(message)
    return dict(errors)


def _file_uri(url: str) -> str:
    # The checker writes file:/tmp/x.html; Path.as_uri() writes file:///tmp/x.html.
    return re.sub(r"^file:/*", "file:///", url)


def report(errors: dict[Path, list[dict]], name_of=lambda path: path.name) -> str:
    """Each error on its own line: page, line and column, message, and the markup around it."""
    lines = []
    for path in sorted(errors, key=str):
        for message in errors[path]:
            where = f"line {message.get('lastLine', '?')}"
            if "firstColumn" in message or "lastColumn" in message:
                where += f", column {message.get('firstColumn', message.get('lastColumn'))}"
            extract = " ".join(message.get("extract", "").split())
            lines.append(f"- {name_of(path)} {where}: {message.get('message')}")
            if extract:
                lines.append(f"    {extract}")
    count = sum(len(messages) for messages in errors.values())
    return f"the Nu Html Checker found {count} error(s) on {len(errors)} page(s):\n" + "\n".join(
        lines
    )
